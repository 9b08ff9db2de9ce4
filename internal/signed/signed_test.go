package signed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestTokensNameTheirRowForTheirPurposeOnly(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := Token(key, "confirm", "6f1c")
	// The links already e-mailed stay valid: the MAC is of "purpose:id".
	m := hmac.New(sha256.New, key)
	m.Write([]byte("confirm:6f1c"))
	if want := "6f1c." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)); tok != want {
		t.Fatalf("token %q, want %q", tok, want)
	}
	if id, ok := Check(key, "confirm", tok); !ok || id != "6f1c" {
		t.Errorf("a genuine token: %q %v", id, ok)
	}
	for name, bad := range map[string]struct{ key, purpose, token string }{
		"another purpose": {string(key), "stop", tok},
		"another key":     {"another key", "confirm", tok},
		"another id":      {string(key), "confirm", "6f1d" + tok[4:]},
		"no MAC":          {string(key), "confirm", "6f1c"},
		"a long id":       {string(key), "confirm", strings.Repeat("a", 65) + tok[4:]},
		"empty":           {string(key), "confirm", ""},
	} {
		if _, ok := Check([]byte(bad.key), bad.purpose, bad.token); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
