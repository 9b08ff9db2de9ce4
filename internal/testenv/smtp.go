package testenv

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the test SMTP server received, decoded.
type Mail struct {
	From, To, Subject, Text string
}

// SMTP is a real SMTP server (emersion/go-smtp) in the test process: the
// service's mailer talks SMTP to it, and tests read what arrived.
type SMTP struct {
	Host string
	Port int

	mu      sync.Mutex
	arrived []Mail
	wake    chan struct{}
}

// StartSMTP starts a server on a free port, stopped when tb ends.
func StartSMTP(tb testing.TB) *SMTP {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &SMTP{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, wake: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtpBackend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	tb.Cleanup(func() { srv.Close() })
	return s
}

// All returns every message received so far.
func (s *SMTP) All() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.arrived...)
}

// WaitFor waits up to 10 s for a message to to and returns the newest.
func (s *SMTP) WaitFor(tb testing.TB, to string) Mail {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		all := s.All()
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].To == to {
				return all[i]
			}
		}
		select {
		case <-s.wake:
		case <-deadline:
			tb.Fatalf("no e-mail to %s arrived within 10s (got %d others)", to, len(all))
		}
	}
}

type smtpBackend struct{ s *SMTP }

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: b.s}, nil }

type smtpSession struct {
	s    *SMTP
	from string
	to   []string
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("testenv: unreadable message: %w", err)
	}
	var body io.Reader = msg.Body //nolint:staticcheck // ST1023: the declared type lets a decoder replace it
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	for _, to := range x.to {
		x.s.arrived = append(x.s.arrived, Mail{From: x.from, To: to, Subject: subject, Text: string(text)})
	}
	x.s.mu.Unlock()
	select {
	case x.s.wake <- struct{}{}:
	default:
	}
	return nil
}
