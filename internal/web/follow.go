package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/follow"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// Following a place: a form with an e-mail address, a confirmation link
// that opens a page with a button (a mail scanner that follows links
// confirms nothing), and a one-click unsubscribe that mail clients may
// post to without a form (RFC 8058).

type followBody struct {
	Page             string
	Heading, Lede    string
	Topic            string
	Listing          string // slug
	Category         string
	District         string
	Email            string
	Error            *form.Error
	Action           string
	Token            string
	Button, Back     string
	BackURL, StopURL string
	Categories       []view.Option
	Districts        []view.Option
}

// followForm asks for an address to follow a repair café (oppforing) or a
// category in a district.
func (e *events) followForm(c *fiber.Ctx) error {
	body, err := e.followTopic(c, c.Query("oppforing"), c.Query("category"), c.Query("district"))
	if err != nil {
		return err
	}
	return e.renderFollow(c, fiber.StatusOK, body)
}

func (e *events) followTopic(c *fiber.Ctx, slug, cat, dist string) (*followBody, error) {
	l := e.lang(c)
	body := &followBody{Page: "follow", Heading: l.T("follow.heading"), Lede: l.T("follow.lede"), Action: paths.Follow,
		Listing: slug, Category: cat, District: dist, BackURL: paths.Calendar}
	if slug != "" {
		lst, err := e.listings.GetBySlug(c.UserContext(), slug)
		if err != nil || !lst.Published() {
			return nil, errNoSuchPage
		}
		body.Topic, body.BackURL = l.T("follow.topic_listing", "name", lst.Name), paths.Listing(lst.Slug)
		return body, nil
	}
	if cat != "" && !category.Valid(cat) {
		return nil, apperr.Invalid("category", "err.search.value_unknown", "value", cat)
	}
	if dist != "" && !district.ValidSlug(dist) {
		return nil, apperr.Invalid("district", "err.search.value_unknown", "value", dist)
	}
	body.Categories, body.Districts = categoryOptions(l, cat, ""), districtOptions(l, e.districts, dist, "")
	return body, nil
}

func (e *events) renderFollow(c *fiber.Ctx, status int, body *followBody) error {
	l := e.lang(c)
	return e.render(c, status, "events", e.private(c, l, body.Heading, "", body))
}

// followSubmit creates an unconfirmed follow and sends its confirmation.
func (e *events) followSubmit(c *fiber.Ctx) error {
	v := postValues(c)
	body, err := e.followTopic(c, v.Get("oppforing"), v.Get("category"), v.Get("district"))
	if err != nil {
		return err
	}
	l := e.lang(c)
	done := func() error {
		sent := &followBody{Page: "notice", Heading: l.T("follow.sent_heading"), Lede: l.T("follow.sent"), BackURL: body.BackURL, Back: l.T("event.back")}
		return e.renderFollow(c, fiber.StatusOK, sent)
	}
	if filledHoneypot(c) {
		return done()
	}
	r := follow.Request{Email: v.Get("email"), Lang: l.Lang, Category: body.Category, District: body.District}
	if body.Listing != "" {
		lst, err := e.listings.GetBySlug(c.UserContext(), body.Listing)
		if err != nil {
			return err
		}
		r.ListingID = lst.ID
	}
	body.Email = r.Email
	if err := e.follows.Ask(c.UserContext(), r); err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.CodeInvalidParameter {
			body.Error = &form.Error{Field: ae.Field, Message: l.T(ae.Key, ae.Args...)}
			return e.renderFollow(c, fiber.StatusBadRequest, body)
		}
		return err
	}
	return done()
}

// followLink shows a confirmation or unsubscribe link's page: what it is
// about, and a button.
func (e *events) followLink(purpose string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l := e.lang(c)
		token := c.Query("t")
		topic, err := e.follows.Describe(c.UserContext(), purpose, token, l)
		if apperr.Is(err, apperr.CodeNotFound) && purpose == "stop" {
			return e.renderFollow(c, fiber.StatusOK, &followBody{Page: "notice", Heading: l.T("follow.stopped_heading"), Lede: l.T("follow.stopped")})
		}
		if err != nil {
			return err
		}
		body := &followBody{Page: "link", Topic: topic, Token: token, Action: c.Path()}
		if purpose == "confirm" {
			body.Heading, body.Lede, body.Button = l.T("follow.confirm_heading"), l.T("follow.confirm_lede", "what", topic), l.T("follow.confirm_button")
		} else {
			body.Heading, body.Lede, body.Button = l.T("follow.stop_heading"), l.T("follow.stop_lede", "what", topic), l.T("follow.stop_button")
		}
		return e.renderFollow(c, fiber.StatusOK, body)
	}
}

func (e *events) followConfirm(c *fiber.Ctx) error {
	l := e.lang(c)
	f, err := e.follows.Confirm(c.UserContext(), c.FormValue("t", c.Query("t")))
	if err != nil {
		return err
	}
	topic, err := e.follows.Topic(c.UserContext(), l, f)
	if err != nil {
		return err
	}
	stop, _ := url.Parse(e.follows.UnsubscribeURL(f))
	return e.renderFollow(c, fiber.StatusOK, &followBody{Page: "notice", Heading: l.T("follow.confirmed_heading"),
		Lede: l.T("follow.confirmed", "what", topic), StopURL: stop.RequestURI()})
}

// followStop ends a follow: from its page's button, or as a mail client's
// one-click POST (body "List-Unsubscribe=One-Click"), which has no form
// token — the signed link is the authority, and it can only delete.
func (e *events) followStop(c *fiber.Ctx) error {
	l := e.lang(c)
	if err := e.follows.Unsubscribe(c.UserContext(), c.FormValue("t", c.Query("t"))); err != nil {
		return err
	}
	if strings.Contains(string(c.Body()), "List-Unsubscribe=One-Click") {
		return c.SendStatus(fiber.StatusOK)
	}
	return e.renderFollow(c, fiber.StatusOK, &followBody{Page: "notice", Heading: l.T("follow.stopped_heading"), Lede: l.T("follow.stopped")})
}
