package app_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// visitor is one browser: its own cookies, redirects not followed, so
// tests see each answer.
type visitor struct {
	e      *env
	client *http.Client
}

type answer struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
}

func (e *env) visitor() *visitor {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &visitor{e: e, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (v *visitor) do(req *http.Request) answer {
	v.e.t.Helper()
	resp, err := v.client.Do(req)
	if err != nil {
		v.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		v.e.t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header.Get("Location"), string(body), resp.Header}
}

func (v *visitor) get(path string) answer {
	v.e.t.Helper()
	req, err := http.NewRequest("GET", v.e.base+path, nil)
	if err != nil {
		v.e.t.Fatal(err)
	}
	return v.do(req)
}

func (v *visitor) post(path string, form url.Values) answer {
	v.e.t.Helper()
	req, err := http.NewRequest("POST", v.e.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		v.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// signIn asks for a link for email, takes it from the e-mail that arrived
// over SMTP, opens it and presses the button. It returns where the
// sign-in led.
func (v *visitor) signIn(email, next string) answer {
	v.e.t.Helper()
	page := v.get("/min-side/logg-inn")
	sent := v.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(v.e.t, page)}, "email": {email}, "next": {next}})
	if sent.Status != 200 {
		v.e.t.Fatalf("asking for a link: %d %.300s", sent.Status, sent.Body)
	}
	link := signInLink(v.e.t, v.e.mail.WaitFor(v.e.t, email).Text)
	opened := v.get(link)
	if opened.Status != 200 {
		v.e.t.Fatalf("opening the link: %d", opened.Status)
	}
	return v.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(v.e.t, opened)}, "token": {tokenOf(v.e.t, opened)}})
}

var (
	csrfField  = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)
	linkInMail = regexp.MustCompile(`http://localhost:8080(/min-side/[a-z/-]+\?token=[A-Za-z0-9_.-]+)`)
)

func csrfOf(t *testing.T, a answer) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no CSRF token in the page (%d): %.300s", a.Status, a.Body)
	}
	return m[1]
}

func tokenOf(t *testing.T, a answer) string {
	t.Helper()
	m := tokenField.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no token field in the page (%d)", a.Status)
	}
	return html.UnescapeString(m[1])
}

// signInLink is the path of the (first) link in an e-mail.
func signInLink(t *testing.T, text string) string {
	t.Helper()
	m := linkInMail.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link in the e-mail:\n%s", text)
	}
	return m[1]
}

// formValues is what a browser would send for the form with the id:
// every named input, checked boxes only, textareas and selected options.
func formValues(t *testing.T, page, id string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			if v, _ := attr(n, "id"); v == id {
				form = n
			}
		}
		for c := n.FirstChild; c != nil && form == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no form #%s in the page: %.300s", id, page)
	}
	values := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			switch {
			case n.Data == "input" && named:
				typ, _ := attr(n, "type")
				_, checked := attr(n, "checked")
				value, hasValue := attr(n, "value")
				if (typ == "checkbox" || typ == "radio") && !hasValue {
					value = "on"
				}
				if (typ != "checkbox" && typ != "radio") || checked {
					values.Add(name, value)
				}
			case n.Data == "textarea" && named:
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				values.Add(name, text)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return values
}
