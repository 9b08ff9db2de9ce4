package auth_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// outbox is a mail.Sender that keeps what it is given, or fails.
type outbox struct {
	sent []mail.Message
	fail error
}

func (o *outbox) Send(_ context.Context, m mail.Message) error {
	if o.fail != nil {
		return o.fail
	}
	o.sent = append(o.sent, m)
	return nil
}

func TestSendLink(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	messages := testenv.Messages(t)
	box := &outbox{}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	svc := &auth.Service{Store: db, Now: func() time.Time { return now }, IdleTimeout: time.Hour,
		Mailer: box, Messages: messages, BaseURL: "https://reparerer.example/"}

	address, err := svc.SendLink(ctx, "  Per@Sko.Example ", "/min-side/ny", i18n.EN)
	if err != nil || address != "per@sko.example" || len(box.sent) != 1 {
		t.Fatalf("sent to %q (%v): %+v", address, err, box.sent)
	}
	m := box.sent[0]
	link := regexp.MustCompile(`https://reparerer\.example/min-side/logg-inn/lenke\?token=[A-Za-z0-9_%-]+`).FindString(m.Text)
	if m.To != "per@sko.example" || link == "" || m.Subject != messages.For(i18n.EN).T("mail.signin.subject") {
		t.Fatalf("message %+v: want an English message with an absolute link", m)
	}
	token := link[strings.Index(link, "token=")+len("token="):]
	if err := svc.CheckLink(ctx, token); err != nil {
		t.Errorf("the e-mailed link does not sign in: %v", err)
	}
	if _, next, err := svc.SpendLink(ctx, token); err != nil || next != "/min-side/ny" {
		t.Errorf("spent: next %q, %v", next, err)
	}

	if _, err := svc.SendLink(ctx, "ikke-en-adresse", "", i18n.NB); !apperr.Is(err, apperr.CodeInvalidParameter) || len(box.sent) != 1 {
		t.Errorf("a bad address: %v, %d sent; want invalid_parameter and nothing sent", err, len(box.sent))
	}
	box.fail = errors.New("dial tcp: connection refused")
	_, err = svc.SendLink(ctx, "per@sko.example", "", i18n.NB)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeMailUnavailable || !strings.Contains(err.Error(), "refused") {
		t.Errorf("mail down: %v, want mail_unavailable carrying the cause (for the log)", err)
	}
}
