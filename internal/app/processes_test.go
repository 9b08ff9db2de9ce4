package app_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/cli"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// runAsEnv makes the test binary, started again by a test, be
// "reparerer serve" with its environment: a real process of the service,
// built with the tests' flags (the race detector included).
const runAsEnv = "REPARERER_TEST_RUN_AS"

func serveIfAsked() {
	if os.Getenv(runAsEnv) == "serve" {
		os.Exit(cli.Main([]string{"serve"}, os.Environ(), os.Stdout, os.Stderr))
	}
}

// process is one "reparerer serve" started by a test.
type process struct {
	name string
	cmd  *exec.Cmd
	env  *env // base URL and mailbox for the visitor helpers
	logs *syncBuffer
}

var servingAddr = regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`)

// serveProcess starts a service process with the environment and waits
// until it answers /readyz.
func serveProcess(t *testing.T, name string, environ []string, mail *testenv.SMTP) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(environ, runAsEnv+"=serve")...)
	logs := &syncBuffer{}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{name: name, cmd: cmd, logs: logs}
	t.Cleanup(func() {
		p.kill(syscall.SIGTERM)
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, logs.String())
		}
	})
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		lines.Buffer(make([]byte, 64<<10), 1<<20)
		for lines.Scan() {
			_, _ = logs.Write(append(lines.Bytes(), '\n'))
			if m := servingAddr.FindSubmatch(lines.Bytes()); m != nil {
				addr <- string(m[1])
			}
		}
	}()
	select {
	case a := <-addr:
		p.env = &env{t: t, base: "http://" + a, mail: mail}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start in 60 s:\n%s", name, logs.String())
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(p.env.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready in 30 s:\n%s", name, logs.String())
		}
		time.Sleep(50 * time.Millisecond) // polling readiness
	}
}

// killing keeps a test's kill and its clean-up from waiting on a process together.
var killing sync.Mutex

// kill sends the process a signal and waits for it to end.
func (p *process) kill(sig syscall.Signal) {
	killing.Lock()
	defer killing.Unlock()
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	_ = p.cmd.Wait()
}

// jobRuns reads how often the process ran a job, from its /metrics.
func (p *process) jobRuns(t *testing.T, job, token string) int {
	t.Helper()
	req, err := http.NewRequest("GET", p.env.base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1 // not answering: killed
	}
	defer resp.Body.Close()
	var body strings.Builder
	if _, err := bufio.NewReader(resp.Body).WriteTo(&body); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`reparerer_job_runs_total\{job="` + job + `",result="ok"\} (\d+)`).FindStringSubmatch(body.String())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Two "reparerer serve" processes on one PostgreSQL, one Meilisearch and
// one Redis are one service: a form served by one is accepted by the
// other, a rate limit reached through one holds on the other, an edit
// through one is in the other's search on the next request, and every job
// runs on one of them only. Killed (SIGKILL: no goodbye), the job holder's
// leases lapse and the other takes over: the reminder already sent is not
// sent again, and an edit made meanwhile reaches search.
func TestTwoServeProcessesOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	pg, meili, redis, mail := testenv.PostgresURL(t), testenv.SharedMeili(t), testenv.SharedRedis(t), testenv.StartSMTP(t)
	db, err := store.Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Three listings; one owned since ten days, so its "still correct?"
	// e-mail is due (every 7 days) the first time housekeeping runs.
	tenDaysAgo := time.Now().Add(-10 * 24 * time.Hour)
	db.Now = func() time.Time { return tenDaysAgo }
	owner, err := db.EnsureUser(ctx, "eier@skomaker.example", auth.RoleOwner, tenDaysAgo)
	if err != nil {
		t.Fatal(err)
	}
	svc := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: func() time.Time { return tenDaysAgo }}
	var shops []*listing.Listing
	for i, name := range []string{"Skomaker Prosess", "Skredder Prosess", "Sykkel Prosess"} {
		l := place(name, nordnes, []string{[]string{"sko", "klaer", "sykkel"}[i]}, "Mo-Su 00:00-24:00")
		ch := listing.Change{Actor: "test", Action: listing.ActionCreate}
		if i == 0 {
			ch.OwnerID = owner.ID
		}
		if err := svc.Create(ctx, l, ch); err != nil {
			t.Fatal(err)
		}
		shops = append(shops, l)
	}
	db.Now = time.Now
	editor, err := db.EnsureUser(ctx, editorEmail, auth.RoleAdmin, time.Now())
	if err != nil || db.SetRole(ctx, editor.ID, auth.RoleAdmin) != nil {
		t.Fatal(err)
	}

	const token = "processes-metrics-token"
	index := testenv.Name(t)
	environ := []string{"REPARERER_ADDR=127.0.0.1:0", "REPARERER_DB=" + pg, "REPARERER_BASE_URL=http://localhost:8080",
		"MEILI_URL=" + meili.URL, "MEILI_MASTER_KEY=" + meili.Key, "MEILI_INDEX=" + index,
		"REDIS_URL=" + redis.URL(), "REDIS_PREFIX=" + index + ":",
		"REPARERER_SMTP_HOST=" + mail.Host, "REPARERER_SMTP_PORT=" + strconv.Itoa(mail.Port), "REPARERER_SMTP_TLS=none",
		"REPARERER_METRICS_TOKEN=" + token, "REPARERER_REMINDER_CHECK=1s", "REPARERER_REMINDER_INTERVAL=7d",
		"REPARERER_REGISTER_URL=", "REPARERER_GEOCODER_URL=", "REPARERER_TILE_URL=", "REPARERER_LOG_LEVEL=info"}
	a := serveProcess(t, "a", environ, mail)
	b := serveProcess(t, "b", environ, mail)
	waitOutboxEmpty(t, db, nil)

	// A form from a, sent to b; a rate limit reached through a holds on b.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	va, vb := &visitor{e: a.env, client: client}, &visitor{e: b.env, client: client}
	form := va.get("/tips-oss")
	tip := func(v *visitor) int {
		return v.post("/tips-oss", url.Values{"_csrf": {csrfOf(t, form)}, "name": {"Kokstad Hvitevare"}, "where": {"Kokstadvegen 1"}, "category": {"hvitevarer"}}).Status
	}
	if status := tip(vb); status != http.StatusSeeOther {
		t.Fatalf("a's form posted to b: %d, want 303", status)
	}
	for i := 0; i < 4; i++ {
		tip(va)
	}
	if status := tip(vb); status != http.StatusTooManyRequests {
		t.Errorf("the 6th tip in 10 minutes, through the other process: %d, want 429", status)
	}

	// An editor signs in through a, with the link opened on b, and hides a
	// listing with a's page posted to b; a's very next search, cached
	// before, no longer has it.
	hidden := shops[1]
	query := url.Values{"district": {"bergenhus"}, "category": {"klaer"}} // a browse: cached
	a.env.search(query)
	if r := a.env.search(query); len(r.Hits) != 1 || r.Cache != "hit" {
		t.Fatalf("a's search before the edit: %v, cache %q", names(r), r.Cache)
	}
	editorOn := signInAcross(t, va, vb)
	page := "/admin/oppforing/" + hidden.ID
	hide := url.Values{"reason": {"temporarily_closed"}, "version": {strconv.Itoa(hidden.Version)}}
	hide.Set("_csrf", csrfOf(t, editorOn.a.get(page)))
	if r := editorOn.b.post(page+"/skjul", hide); r.Status != http.StatusSeeOther {
		t.Fatalf("hiding through b with a's page: %d %.300s", r.Status, r.Body)
	}
	waitOutboxEmpty(t, db, nil)
	if r := a.env.search(query); len(r.Hits) != 0 {
		t.Errorf("a's search after b's edit: %v (cache %q), want none", names(r), r.Cache)
	}

	// Housekeeping (every second) runs on one process only.
	deadline := time.Now().Add(20 * time.Second)
	for a.jobRuns(t, "reminders", token)+b.jobRuns(t, "reminders", token) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // polling the jobs' progress
	}
	holder, survivor := a, b
	if b.jobRuns(t, "reminders", token) > 0 {
		holder, survivor = b, a
	}
	if held, other := holder.jobRuns(t, "reminders", token), survivor.jobRuns(t, "reminders", token); held < 3 || other != 0 {
		t.Fatalf("housekeeping ran %d times on %s and %d on %s, want all (at least 3) on one", held, holder.name, other, survivor.name)
	}
	reminders := func() int { return mailsTo(a.env, "eier@skomaker.example") }
	if n := reminders(); n != 1 {
		t.Fatalf("reminder e-mails before the kill: %d, want 1", n)
	}

	// The holder is killed outright; the survivor takes over once the
	// leases lapse.
	holder.kill(syscall.SIGKILL)
	killed := time.Now()
	for survivor.jobRuns(t, "reminders", token) == 0 && time.Since(killed) < 20*time.Second {
		time.Sleep(20 * time.Millisecond) // polling the takeover
	}
	takeover := time.Since(killed)
	t.Logf("housekeeping taken over %v after the kill (lease 1.5 s, tried every 1 s)", takeover.Round(10*time.Millisecond))
	if survivor.jobRuns(t, "reminders", token) == 0 || takeover > 5*time.Second {
		t.Fatalf("the survivor took housekeeping over after %v, want within the lease and one try", takeover)
	}
	// An edit through the survivor is indexed though the killed process
	// may have held the outbox (lease 5 s).
	on := editorOn.a
	if survivor == b {
		on = editorOn.b
	}
	shown := on.get(page)
	show := url.Values{"_csrf": {csrfOf(t, shown)}, "version": {versionOf(t, shown)}}
	if r := on.post(page+"/vis", show); r.Status != http.StatusSeeOther {
		t.Fatalf("showing again through the survivor: %d", r.Status)
	}
	waitOutboxEmpty(t, db, nil)
	if r := survivor.env.search(query); len(r.Hits) != 1 {
		t.Errorf("the survivor's search after its edit: %v, want the listing back", names(r))
	}
	for runs := survivor.jobRuns(t, "reminders", token); survivor.jobRuns(t, "reminders", token) < runs+2; {
		time.Sleep(50 * time.Millisecond) // two more housekeeping runs on the survivor
	}
	if n := reminders(); n != 1 {
		t.Errorf("reminder e-mails after the takeover: %d, want still 1 (none sent twice)", n)
	}
}

// editorSession is one signed-in browser whose requests go to either
// process.
type editorSession struct{ a, b *visitor }

// signInAcross signs the editor in: the link asked for on a, opened and
// confirmed on b.
func signInAcross(t *testing.T, va, vb *visitor) editorSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	a, b := &visitor{e: va.e, client: client}, &visitor{e: vb.e, client: client}
	page := a.get("/min-side/logg-inn")
	if r := a.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(t, page)}, "email": {editorEmail}, "next": {"/admin"}}); r.Status != http.StatusOK {
		t.Fatalf("asking a for a link: %d", r.Status)
	}
	link := signInLink(t, va.e.mail.WaitFor(t, editorEmail).Text)
	opened := b.get(link)
	if r := b.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, opened)}, "token": {tokenOf(t, opened)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("signing in on b: %d", r.Status)
	}
	if r := a.get("/admin"); r.Status != http.StatusOK {
		t.Fatalf("the session from b on a: %d", r.Status)
	}
	return editorSession{a: a, b: b}
}

func versionOf(t *testing.T, a answer) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no version in the page (%d)", a.Status)
	}
	return m[1]
}

// waitOutboxEmpty waits until the outbox is empty, kicking the worker (when
// this process runs it) so it does not wait for its next poll.
func waitOutboxEmpty(t *testing.T, db *store.DB, kick func()) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := db.PendingCount(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox still has %d entries after 30 s", n)
		}
		if kick != nil {
			kick()
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, not waiting for time to pass
	}
}
