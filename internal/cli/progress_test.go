package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A long import says every interval how far it is, and once at the end.
func TestImportProgress(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	report := progress(&out, func() time.Time { return clock }, 2*time.Second)
	for done := 1; done <= 1000; done++ {
		clock = clock.Add(10 * time.Millisecond) // 100 rows a second
		report(done, 1000)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 4 || !strings.Contains(lines[0], "of 1000 rows written, 100 rows/s, about 8s left") ||
		lines[len(lines)-1] != "import: 1000 of 1000 rows written, 100 rows/s, about 0s left" {
		t.Errorf("progress:\n%s", out.String())
	}
}
