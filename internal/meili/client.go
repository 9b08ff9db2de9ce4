package meili

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/goccy/go-json"
	"github.com/valyala/fasthttp"
)

// searchClient posts search requests over fasthttp. Everything else goes
// through meilisearch-go; searches do not, because on the uncached search
// path net/http's per-request goroutine hand-offs and the client's extra
// copy of each answer cost more CPU than the rest of the service, and on a
// small machine every core-millisecond is taken from Meilisearch itself
// (docs/BENCHMARKS.md has the figures).
type searchClient struct {
	hc   *fasthttp.HostClient
	base string // Meilisearch's root
	url  string // the index's root
	auth string
}

func newSearchClient(base, key, uid string) (*searchClient, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("meili: %q is not an http(s) URL", base)
	}
	host := u.Host
	if u.Port() == "" {
		host += map[string]string{"http": ":80", "https": ":443"}[u.Scheme]
	}
	c := &searchClient{
		hc: &fasthttp.HostClient{
			Addr: host, IsTLS: u.Scheme == "https", MaxConns: 512,
			MaxIdleConnDuration: 90 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
			NoDefaultUserAgentHeader: true,
		},
		base: u.Scheme + "://" + u.Host + u.Path,
		url:  u.Scheme + "://" + u.Host + u.Path + "/indexes/" + url.PathEscape(uid),
	}
	if key != "" {
		c.auth = "Bearer " + key
	}
	return c, nil
}

// searchRequest is the body of POST /indexes/{uid}/search.
type searchRequest struct {
	IndexUID             string   `json:"indexUid,omitempty"` // in a multi-search only
	Q                    string   `json:"q"`
	MatchingStrategy     string   `json:"matchingStrategy,omitempty"`
	Filter               string   `json:"filter,omitempty"`
	Facets               []string `json:"facets"`
	Sort                 []string `json:"sort,omitempty"`
	Page                 int      `json:"page"`
	HitsPerPage          int      `json:"hitsPerPage"`
	AttributesToRetrieve []string `json:"attributesToRetrieve"`
}

// errSearchRefused marks an answer Meilisearch gave but refused with: a bug
// of ours (a bad filter), not an outage. errIndexLost marks a refusal
// because the index or its settings are gone (see indexLost): an outage
// until they are back.
var (
	errSearchRefused = errors.New("meili: search refused")
	errIndexLost     = errors.New("meili: the index or its settings are gone")
)

func (c *searchClient) search(ctx context.Context, r *searchRequest, into any) error {
	return c.post(ctx, c.url+"/search", r, into)
}

// multiSearch runs several searches in one request (POST /multi-search)
// and decodes their answers, in order, into results.
func (c *searchClient) multiSearch(ctx context.Context, reqs []*searchRequest, results *[]searchResponse) error {
	var resp struct {
		Results []searchResponse `json:"results"`
	}
	for _, r := range reqs {
		resp.Results = append(resp.Results, answerFor(r))
	}
	if err := c.post(ctx, c.base+"/multi-search", map[string]any{"queries": reqs}, &resp); err != nil {
		return err
	}
	if len(resp.Results) != len(reqs) {
		return fmt.Errorf("meili: multi-search answered %d of %d searches", len(resp.Results), len(reqs))
	}
	*results = resp.Results
	return nil
}

// facetSearchRequest is the body of POST /indexes/{uid}/facet-search.
type facetSearchRequest struct {
	FacetName  string `json:"facetName"`
	FacetQuery string `json:"facetQuery"`
}

func (c *searchClient) facetSearch(ctx context.Context, r *facetSearchRequest, into any) error {
	return c.post(ctx, c.url+"/facet-search", r, into)
}

// post sends a read-only request (a search) to Meilisearch.
func (c *searchClient) post(ctx context.Context, uri string, r, into any) error {
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("meili: encode search: %w", err)
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(uri)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("application/json")
	if c.auth != "" {
		req.Header.Set(fasthttp.HeaderAuthorization, c.auth)
	}
	req.SetBodyRaw(body)
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(10 * time.Second)
	}
	if err := c.hc.DoDeadline(req, resp, deadline); err != nil {
		return fmt.Errorf("meili: search: %w", err)
	}
	switch status := resp.StatusCode(); {
	case status == fasthttp.StatusOK:
	case status >= 500: // down: an outage (its answer is not parsed)
		return fmt.Errorf("meili: search: status %d: %.300s", status, resp.Body())
	case indexLost(resp.Body()) || status == fasthttp.StatusNotFound: // its index or settings lost: an outage until they are back
		return fmt.Errorf("%w: status %d: %.300s", errIndexLost, status, resp.Body())
	default:
		return fmt.Errorf("%w: status %d: %.300s", errSearchRefused, status, resp.Body())
	}
	if err := json.Unmarshal(resp.Body(), into); err != nil {
		return fmt.Errorf("meili: decode search answer: %w", err)
	}
	return nil
}

// indexLost reports whether an error answer says the index does not exist
// (a multi-search says so with status 400, not 404), or exists without its
// settings: a write that reached Meilisearch after the index was deleted
// creates a bare one, and an older version's instance starting during a
// rolling deploy applies its own; our filters and facets are then "not
// filterable" until Ensure applies the settings again.
func indexLost(body []byte) bool {
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return false
	}
	return e.Code == "index_not_found" ||
		(e.Code == "invalid_search_filter" && strings.Contains(e.Message, "is not filterable")) ||
		(e.Code == "invalid_search_facets" && strings.Contains(e.Message, "is not filterable")) ||
		(e.Code == "invalid_facet_search_facet_name" && strings.Contains(e.Message, "is not filterable")) ||
		(e.Code == "invalid_search_sort" && strings.Contains(e.Message, "is not sortable"))
}
