package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/cli"
	"github.com/bergenreparerer/reparerer/internal/store"
)

func TestAdminAddListRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	env := []string{"REPARERER_DB=" + path, "REPARERER_BASE_URL=https://reparerer.bergen.kommune.no"}
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := cli.Main(append([]string{"admin"}, args...), env, &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, out := run("add", "Redaktor@Bergen.Kommune.no"); code != 0 || !strings.Contains(out, "redaktor@bergen.kommune.no is now admin") {
		t.Fatalf("admin add: %d %s", code, out)
	}
	if code, out := run("add", "not-an-address"); code != 1 || !strings.Contains(out, "not an e-mail address") {
		t.Errorf("admin add of a non-address: %d %s", code, out)
	}
	if _, out := run("list"); !strings.Contains(out, "redaktor@bergen.kommune.no") {
		t.Errorf("admin list: %s", out)
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.UserByEmail(context.Background(), "redaktor@bergen.kommune.no")
	db.Close()
	if err != nil || u.Role != auth.RoleAdmin {
		t.Fatalf("account after add: %+v %v", u, err)
	}
	run("remove", "redaktor@bergen.kommune.no")
	if _, out := run("list"); strings.Contains(out, "redaktor") {
		t.Errorf("still an admin after remove: %s", out)
	}
	if code, _ := run("promote"); code != 1 {
		t.Errorf("unknown subcommand: exit %d, want 1", code)
	}
}

func TestImportCSVTwiceChangesNothing(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "verksteder.csv")
	if err := os.WriteFile(file, []byte("navn;postnummer;kategori\nTest Sko;5003;Skomaker\nFeil;9999;sko\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"REPARERER_DB=" + filepath.Join(dir, "r.db"), "REPARERER_GEOCODER_URL="} // no address API from tests
	var out, errOut bytes.Buffer
	for _, want := range []string{"1 new, 0 to update, 0 unchanged", "0 new, 0 to update, 1 unchanged"} {
		out.Reset()
		if code := cli.Main([]string{"import", file}, env, &out, &errOut); code != 0 || !strings.Contains(out.String(), want) ||
			!strings.Contains(out.String(), `line 3: postcode "9999"`) {
			t.Errorf("import: exit %d, %q, want %q and the bad postcode\n%s", code, out.String(), want, errOut.String())
		}
	}
}

func TestFlagsAfterTheCommandsWords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"admin", "add", "redaktor@bergen.kommune.no", "--db", path}, nil, &out, &errOut); code != 0 {
		t.Fatalf("admin add EMAIL --db F: exit %d\n%s", code, errOut.String())
	}
	out.Reset()
	cli.Main([]string{"admin", "list", "--db=" + path}, nil, &out, &errOut)
	if !strings.Contains(out.String(), "redaktor@bergen.kommune.no") {
		t.Errorf("the account is not in the database given after the words: %q", out.String())
	}
}
