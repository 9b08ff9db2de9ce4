package config

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaultsEnvAndFlags(t *testing.T) {
	c, rest, err := Load([]string{"MEILI_INDEX=from_env", "REDIS_URL=redis://127.0.0.1:6390/2", "REPARERER_TILE_URL="},
		[]string{"--meili-index", "from_flag", "file.geojson"}, "test", io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DB != "./data/reparerer.db" || c.MeiliURL != "http://127.0.0.1:7700" || c.SlotRefresh != time.Hour {
		t.Errorf("defaults = %+v", c)
	}
	if c.MeiliIndex != "from_flag" {
		t.Errorf("MeiliIndex = %q, want the flag to override the environment", c.MeiliIndex)
	}
	if c.RedisURL != "redis://127.0.0.1:6390/2" {
		t.Errorf("RedisURL = %q", c.RedisURL)
	}
	if c.TileURL != "" {
		t.Errorf("TileURL = %q, want empty: set-but-empty disables tiles", c.TileURL)
	}
	if len(rest) != 1 || rest[0] != "file.geojson" {
		t.Errorf("rest = %v", rest)
	}
}

func TestLoadRefusesBadValues(t *testing.T) {
	_, _, err := Load([]string{"MEILI_URL=localhost:7700", "REDIS_URL=http://x", "MEILI_INDEX=a b", "REPARERER_LOG_LEVEL=loud",
		"REPARERER_TRUSTED_PROXIES=10.0.0.0/8,proxy.example", "REPARERER_REQUEST_TIMEOUT=1h", "REPARERER_DB_MAX_MB=-1",
		"REPARERER_DB=mysql://reparerer:hemmelig@db.example/reparerer"}, // would have become a folder "mysql:"
		nil, "test", io.Discard, nil)
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, name := range []string{"MEILI_URL", "REDIS_URL", "MEILI_INDEX", "REPARERER_LOG_LEVEL", "REPARERER_TRUSTED_PROXIES",
		"REPARERER_REQUEST_TIMEOUT", "REPARERER_DB_MAX_MB", "REPARERER_DB"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), "hemmelig") {
		t.Errorf("the error shows the database password: %v", err)
	}
	if _, _, err := Load([]string{"REPARERER_SLOT_REFRESH=soon"}, nil, "test", io.Discard, nil); err == nil {
		t.Error("unparsable REPARERER_SLOT_REFRESH accepted")
	}
	for _, env := range []string{"REPARERER_VOCABULARY_CHECK=10ms", "REPARERER_VOCABULARY_CHECK=2h", "REPARERER_SESSION_IDLE=30s", "REPARERER_FRESHNESS_AGE=1h"} {
		name, _, _ := strings.Cut(env, "=")
		if _, _, err := Load([]string{env}, nil, "test", io.Discard, nil); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s out of bounds: %v", env, err)
		}
	}
	if cfg, _, err := Load(nil, nil, "test", io.Discard, nil); err != nil || cfg.VocabularyCheck != 5*time.Second {
		t.Errorf("the default vocabulary check: %v %v", cfg.VocabularyCheck, err)
	}
}

func TestStoreIsAFileOrPostgreSQL(t *testing.T) {
	for _, db := range []string{"./data/r.db", "/var/lib/r.db", "postgres://reparerer@db.internal/reparerer", "postgresql:///reparerer?host=/run/postgresql"} {
		if _, _, err := Load([]string{"REPARERER_DB=" + db}, nil, "test", io.Discard, nil); err != nil {
			t.Errorf("REPARERER_DB=%s refused: %v", db, err)
		}
	}
	for _, env := range [][]string{
		{"REPARERER_DB=postgres:///reparerer"},                                       // no host
		{"REPARERER_DB=postgres://db.internal/reparerer", "REPARERER_DB_MAX_MB=100"}, // SQLite's cap
	} {
		if _, _, err := Load(env, nil, "test", io.Discard, nil); err == nil || !strings.Contains(err.Error(), "REPARERER_DB") {
			t.Errorf("%v accepted (%v)", env, err)
		}
	}
}

func TestDurationsTakeDays(t *testing.T) {
	c, _, err := Load([]string{"REPARERER_REMINDER_INTERVAL=30d", "REPARERER_SESSION_IDLE=45m"}, nil, "serve", io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.ReminderInterval != 30*24*time.Hour || c.SessionIdle != 45*time.Minute || c.ReminderCheck != time.Hour {
		t.Errorf("durations %v %v %v", c.ReminderInterval, c.SessionIdle, c.ReminderCheck)
	}
	if _, _, err := Load([]string{"REPARERER_SMTP_HOST=mail.example", "REPARERER_SMTP_TLS=maybe"}, nil, "serve", io.Discard, nil); err == nil {
		t.Error("an unknown SMTP TLS mode was accepted")
	}
}

func TestTrustedProxies(t *testing.T) {
	got, err := ParseProxies(" 127.0.0.1, 10.1.2.3/8 ,::1")
	if err != nil || len(got) != 3 || got[0].String() != "127.0.0.1/32" || got[1].String() != "10.0.0.0/8" || got[2].String() != "::1/128" {
		t.Errorf("ParseProxies: %v %v", got, err)
	}
	if got, err := ParseProxies(""); err != nil || got != nil {
		t.Errorf("empty: %v %v", got, err)
	}
}

// An https service without an SMTP relay would log working sign-in links.
func TestServingOnHTTPSNeedsARelay(t *testing.T) {
	c, _, err := Load([]string{"REPARERER_BASE_URL=https://reparerer.example.no"}, nil, "test", io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckServe(); err == nil || !strings.Contains(err.Error(), "REPARERER_SMTP_HOST") {
		t.Errorf("https without SMTP: %v", err)
	}
	c.SMTPHost = "smtp.example.no"
	if err := c.CheckServe(); err != nil {
		t.Errorf("https with SMTP: %v", err)
	}
	c.BaseURL, c.SMTPHost = "http://localhost:8080", ""
	if err := c.CheckServe(); err != nil {
		t.Errorf("local development: %v", err)
	}
}

func TestEmbedOrigins(t *testing.T) {
	for raw, want := range map[string]string{"": "*", "*": "*", "none": "'none'",
		"https://www.bergen.kommune.no, http://localhost:3000": "https://www.bergen.kommune.no http://localhost:3000"} {
		if got, err := ParseEmbedOrigins(raw); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"bergen.kommune.no", "https://x.no/path", "https://x.no; script-src *", "javascript:alert(1)", "https://x.no'"} {
		if _, err := ParseEmbedOrigins(raw); err == nil {
			t.Errorf("%q accepted", raw)
		}
	}
}
