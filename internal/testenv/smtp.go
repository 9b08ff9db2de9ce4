package testenv

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the test SMTP server received, decoded.
type Mail struct {
	From, To, Subject, Text string
	Attachments             []Attachment
	// Unsubscribe and UnsubscribePost are the List-Unsubscribe headers.
	Unsubscribe, UnsubscribePost string
}

// Attachment is a file a message carried.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// readBody decodes a body: its plain text, and the files of a multipart
// one.
func readBody(h textproto.MIMEHeader, body io.Reader) (string, []Attachment, error) {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain"
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		data, err := io.ReadAll(body)
		if err != nil {
			return "", nil, err
		}
		if _, disposition, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disposition["filename"] != "" || mediaType != "text/plain" {
			return "", []Attachment{{Name: disposition["filename"], ContentType: mediaType, Data: data}}, nil
		}
		return string(data), nil, nil
	}
	var text string
	var files []Attachment
	parts := multipart.NewReader(body, params["boundary"])
	for {
		part, err := parts.NextRawPart()
		if errors.Is(err, io.EOF) {
			return text, files, nil
		} else if err != nil {
			return "", nil, err
		}
		t, f, err := readBody(part.Header, part)
		if err != nil {
			return "", nil, err
		}
		text += t
		files = append(files, f...)
	}
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
	text, files, err := readBody(textproto.MIMEHeader(msg.Header), msg.Body)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	for _, to := range x.to {
		x.s.arrived = append(x.s.arrived, Mail{From: x.from, To: to, Subject: subject, Text: text, Attachments: files,
			Unsubscribe: msg.Header.Get("List-Unsubscribe"), UnsubscribePost: msg.Header.Get("List-Unsubscribe-Post")})
	}
	x.s.mu.Unlock()
	select {
	case x.s.wake <- struct{}{}:
	default:
	}
	return nil
}
