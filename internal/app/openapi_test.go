package app_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/bergenreparerer/reparerer/internal/web"
)

// The OpenAPI description is a valid OpenAPI 3.1 document that names
// every public route of the API and the open data, and the real answers
// of each route — good requests and bad ones — match it.
func TestOpenAPIDescribesEveryRouteAndItsAnswers(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	quoting := e.quoteShop() // takes quote requests
	e.waitIndexed()
	if _, body := e.get("/api/v1/repairers/" + quoting.Slug); !bytes.Contains(body, []byte(`"quote_requests":"yes"`)) {
		t.Fatalf("the API does not say the repairer takes quote requests: %s", body)
	}
	status, served := e.get("/api/v1/openapi.json")
	if status != http.StatusOK || !bytes.Equal(served, web.OpenAPI()) {
		t.Fatalf("/api/v1/openapi.json: %d", status)
	}
	doc, err := libopenapi.NewDocument(served)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, problems := v.ValidateDocument(); !ok {
		for _, p := range problems {
			t.Errorf("the description itself: %s", p.Message)
		}
	}

	// Every public route is described.
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.app.Routes() {
		public := strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/data/")
		if r.Method != http.MethodGet || !public {
			continue
		}
		path := strings.Replace(r.Path, ":slug", "{slug}", 1)
		if _, ok := model.Model.Paths.PathItems.Get(path); !ok {
			t.Errorf("%s is not described", r.Path)
		}
	}

	for _, path := range []string{
		"/api/v1/search?q=skomaker&lat=60.3929&lng=5.3241",
		"/api/v1/search?category=sko&district=bergenhus&open_now=true&per_page=2",
		"/api/v1/search?q=glidel%C3%A5s%20n%C3%A6r%20Nordnes&lang=en",
		"/api/v1/search?q=grammofon",
		"/api/v1/search?warranty_min=6&where=at_home&loaner=true&hide_own_brand=true&brand=miele",
		"/api/v1/search?per_page=500",
		"/api/v1/search?kind=repair_cafe&kind=repair&category=sko",
		"/api/v1/search?kind=pawnshop",
		"/api/v1/search?district=moon&lang=en",
		"/api/v1/suggest?q=sk",
		"/api/v1/suggest?q=",
		"/api/v1/repairers/skomaker-sentrum",
		"/api/v1/repairers/" + quoting.Slug,
		"/api/v1/repairers/nobody-here",
		"/api/v1/districts",
		"/api/v1/districts.geojson",
		"/api/v1/categories?lang=en",
		"/data/repairers.geojson",
		"/data/repairers.csv",
		"/data/hsds/services.json",
		"/api/v1/labels",
	} {
		req, err := http.NewRequest(http.MethodGet, e.base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if ok, problems := v.ValidateHttpResponse(req, resp); !ok {
			for _, p := range problems {
				t.Errorf("%s (%d): %s %s", path, resp.StatusCode, p.Message, p.Reason)
				for _, se := range p.SchemaValidationErrors {
					t.Errorf("    %s: %s", se.FieldPath, se.Reason)
				}
			}
		}
	}
}
