package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The municipality keeps its quality labels (with a logo), sets them on a
// listing with an end date together with the gift card; the public page
// explains each, the listing page and the API show the ones that hold, and
// residents filter on them. The day after its end date a label no longer
// shows or filters.
func TestQualityMarks(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	admin := e.adminVisitor()

	var logo bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{0, 80, 130, 255})
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	saveLabel := func(fields map[string]string, file []byte) answer {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField("_csrf", csrfOf(t, admin.get("/admin/merker")))
		for k, v := range fields {
			_ = w.WriteField(k, v)
		}
		if file != nil {
			fw, _ := w.CreateFormFile("logo", "logo.png")
			_, _ = fw.Write(file)
		}
		_ = w.Close()
		req, _ := http.NewRequest("POST", e.base+"/admin/merker", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return admin.do(req)
	}
	good := map[string]string{"name": "Godkjent sykkelverksted", "issuer": "Norsk Sykkelforbund", "url": "https://sykkel.example/godkjent",
		"criteria_nb": "Faglært mekaniker, skriftlig pristilbud, tre måneders garanti."}
	if r := saveLabel(good, logo.Bytes()); r.Status != http.StatusSeeOther {
		t.Fatalf("saving a label: %d %.400s", r.Status, r.Body)
	}
	if r := saveLabel(map[string]string{"name": "Svg", "issuer": "X"}, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)); r.Status != http.StatusBadRequest ||
		!strings.Contains(r.Body, "PNG eller JPEG") {
		t.Errorf("an SVG logo: %d", r.Status)
	}

	// The editor sets the label (until Sunday) and the gift card.
	bike, err := e.app.Store.GetBySlug(context.Background(), "sykkelverksted-asane")
	if err != nil {
		t.Fatal(err)
	}
	page := admin.get("/admin/oppforing/" + bike.ID)
	if !strings.Contains(page.Body, `name="mark_godkjent-sykkelverksted"`) {
		t.Fatalf("the listing's console page has no marks form")
	}
	if r := admin.act("/admin/oppforing/"+bike.ID, "/admin/oppforing/"+bike.ID+"/merker",
		url.Values{"mark_godkjent-sykkelverksted": {"on"}, "until_godkjent-sykkelverksted": {"2026-11-29"}, "gift_card": {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("setting the marks: %d %.400s", r.Status, r.Body)
	}
	e.waitIndexed()

	_, marks := e.get("/merker")
	for _, want := range []string{`id="godkjent-sykkelverksted"`, "Norsk Sykkelforbund", "tre måneders garanti", `src="/merker/godkjent-sykkelverksted/logo"`, "Tar imot reparasjonsgavekort"} {
		if !strings.Contains(string(marks), want) {
			t.Errorf("/merker lacks %s", want)
		}
	}
	resp, body := e.fetch("/merker/godkjent-sykkelverksted/logo", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || body != logo.String() {
		t.Errorf("logo: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	_, listingPage := e.get("/reparator/sykkelverksted-asane")
	if !strings.Contains(string(listingPage), "Godkjent sykkelverksted (Norsk Sykkelforbund)") || !strings.Contains(string(listingPage), `href="/merker#gift-card"`) {
		t.Error("the listing page does not show its marks")
	}
	_, raw := e.get("/api/v1/repairers/sykkelverksted-asane")
	var api struct {
		GiftCard bool `json:"accepts_gift_card"`
		Marks    []struct{ Label, Until string }
	}
	if err := json.Unmarshal(raw, &api); err != nil || !api.GiftCard || len(api.Marks) != 1 || api.Marks[0].Until != "2026-11-29" {
		t.Errorf("API marks: %s", raw)
	}
	if r := e.search(url.Values{"label": {"godkjent-sykkelverksted"}}); len(r.Hits) != 1 || r.Hits[0].Slug != "sykkelverksted-asane" {
		t.Errorf("label filter: %v", names(r))
	}
	if r := e.search(url.Values{"gift_card": {"true"}}); len(r.Hits) != 1 {
		t.Errorf("gift card filter: %v", names(r))
	}
	if r := e.search(url.Values{"category": {"sykkel"}, "facets": {"conditions"}}); r.Facets.Label["godkjent-sykkelverksted"] != 1 {
		t.Errorf("label facet: %+v", r.Facets.Label)
	}

	// Monday: the label ran until Sunday. It lapses from the page at once
	// and from the index when the daily refresh has run.
	e.clock.Set(mustTime("2026-11-30T09:00:00+01:00"))
	e.app.RefreshLapsedMarks(context.Background())
	e.waitIndexed()
	if r := e.search(url.Values{"label": {"godkjent-sykkelverksted"}}); len(r.Hits) != 0 {
		t.Errorf("a lapsed label still filters: %v", names(r))
	}
	_, listingPage = e.get("/reparator/sykkelverksted-asane")
	if strings.Contains(string(listingPage), "Godkjent sykkelverksted") || !strings.Contains(string(listingPage), "reparasjonsgavekort") {
		t.Error("the lapsed label is still on the page (or the gift card went with it)")
	}
}
