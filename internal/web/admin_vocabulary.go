package web

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// maxVocabularyUpload bounds an uploaded vocabulary file.
const maxVocabularyUpload = 1 << 20

type vocabularyData struct {
	Words      int // in use: built in and added
	Additions  []additionRow
	Kinds      []view.Option
	Categories []chip
	Terms      string
	// Try is a query read as search reads it, to check a word.
	Try        string
	Understood *search.Interpretation
	TryText    string
}

type additionRow struct {
	Terms, Categories, Kind, AddedBy, Added, DeleteURL string
}

var vocabularyKinds = []vocabulary.Kind{vocabulary.KindObject, vocabulary.KindPart, vocabulary.KindRepair, vocabulary.KindTrade, vocabulary.KindIgnore}

// vocabularyPage lets the municipality add what residents call things,
// see what is added, and try how a query is read.
func (a *admin) vocabularyPage(c *fiber.Ctx) error {
	return a.renderVocabulary(c, fiber.StatusOK, vocabulary.Group{Kind: vocabulary.KindObject}, c.Query("prov"), nil)
}

func (a *admin) renderVocabulary(c *fiber.Ctx, status int, g vocabulary.Group, try string, ferr *form.Error) error {
	l := a.lang(c)
	adds, err := a.vocabulary.Additions(c.UserContext())
	if err != nil {
		return err
	}
	d := vocabularyData{Words: a.reader.Vocabulary().Len(), Terms: strings.Join(g.Terms, ", "), Try: try}
	for _, ad := range adds {
		d.Additions = append(d.Additions, additionRow{Terms: strings.Join(ad.Group.Terms, ", "), Categories: view.CategoryNames(ad.Group.Categories, l),
			Kind: l.T("admin.vocabulary.kind." + string(ad.Group.Kind)), AddedBy: ad.AddedBy, Added: view.Moment(l, ad.AddedAt),
			DeleteURL: paths.DeleteVocabulary(ad.ID)})
	}
	for _, k := range vocabularyKinds {
		d.Kinds = append(d.Kinds, view.Option{Slug: string(k), Name: l.T("admin.vocabulary.kind." + string(k)), Selected: k == g.Kind})
	}
	for _, cat := range category.All() {
		d.Categories = append(d.Categories, chip{cat.Slug, view.CategoryName(cat, l), slices.Contains(g.Categories, cat.Slug)})
	}
	if try != "" {
		in := a.reader.Read(try)
		d.Understood = &in
		d.TryText = interpretationText(l, in)
	}
	return a.render(c, status, "vocabulary", l.T("admin.vocabulary.heading"), d, ferr)
}

// interpretationText says in words what a query was read as.
func interpretationText(l *i18n.Localizer, in search.Interpretation) string {
	parts := []string{l.T("admin.vocabulary.read.categories", "value", orNone(l, view.CategoryNames(in.Categories, l)))}
	if in.Near != nil {
		parts = append(parts, l.T("admin.vocabulary.read.near", "value", in.Near.Name))
	}
	parts = append(parts, l.T("admin.vocabulary.read.ignored", "value", orNone(l, strings.Join(in.Ignored, ", "))),
		l.T("admin.vocabulary.read.terms", "value", orNone(l, strings.Join(in.Terms, ", "))))
	return strings.Join(parts, " · ")
}

func orNone(l *i18n.Localizer, s string) string {
	if s == "" {
		return l.T("admin.vocabulary.read.none")
	}
	return s
}

// vocabularyAdd adds one group from the form.
func (a *admin) vocabularyAdd(c *fiber.Ctx) error {
	v := postValues(c)
	g := vocabulary.Group{Kind: vocabulary.Kind(v.Get("kind")), Categories: v["category"], Terms: splitTerms(v.Get("terms"))}
	f := vocabulary.File{Groups: []vocabulary.Group{g}}
	if g.Kind == vocabulary.KindIgnore {
		f = vocabulary.File{Ignore: g.Terms}
		if len(g.Categories) > 0 {
			return a.vocabularyRefused(c, g, apperr.Invalid("file", "err.vocabulary.ignore_has_category"))
		}
	}
	if len(g.Terms) == 0 {
		return a.vocabularyRefused(c, g, apperr.Invalid("file", "err.vocabulary.term_empty"))
	}
	n, err := a.vocabulary.Add(c.UserContext(), f, currentUser(c).Email)
	if err != nil {
		return a.vocabularyRefused(c, g, err)
	}
	a.log.Info("vocabulary: words added", "words", n, "kind", string(g.Kind))
	return c.Redirect(paths.Vocabulary+"?melding=vocabulary_added", fiber.StatusSeeOther)
}

func (a *admin) vocabularyRefused(c *fiber.Ctx, g vocabulary.Group, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalidParameter {
		return err
	}
	l := a.lang(c)
	return a.renderVocabulary(c, fiber.StatusBadRequest, g, "", &form.Error{Field: "terms", Message: l.T(ae.Key, ae.Args...)})
}

// splitTerms reads words separated by commas or lines.
func splitTerms(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// vocabularyImport adds every group of an uploaded file in the format of
// search/vocabulary.json; nothing is added when any group is bad.
func (a *admin) vocabularyImport(c *fiber.Ctx) error {
	l := a.lang(c)
	refuse := func(message string) error {
		return a.renderVocabulary(c, fiber.StatusBadRequest, vocabulary.Group{Kind: vocabulary.KindObject}, "", &form.Error{Field: "file", Message: message})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse(l.T("admin.import.error.no_file"))
	}
	if fh.Size > maxVocabularyUpload {
		return refuse(l.T("admin.import.error.too_big"))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close() //nolint:errcheck // a read-only upload; ReadAll reports read errors
	body, err := io.ReadAll(io.LimitReader(f, maxVocabularyUpload+1))
	if err != nil {
		return err
	}
	file, err := vocabulary.Parse(body)
	if err == nil {
		_, err = a.vocabulary.Add(c.UserContext(), file, currentUser(c).Email)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.CodeInvalidParameter {
		return refuse(l.T(ae.Key, ae.Args...))
	} else if err != nil {
		return err
	}
	a.log.Info("vocabulary: file imported", "groups", len(file.Groups), "fillers", len(file.Ignore))
	return c.Redirect(paths.Vocabulary+"?melding=vocabulary_added", fiber.StatusSeeOther)
}

// vocabularyDelete removes one of the municipality's groups.
func (a *admin) vocabularyDelete(c *fiber.Ctx) error {
	if err := a.vocabulary.Remove(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.log.Info("vocabulary: group removed", "id", c.Params("id"))
	return c.Redirect(paths.Vocabulary+"?melding=vocabulary_removed", fiber.StatusSeeOther)
}

// vocabularyExport downloads the vocabulary in use, in the file format.
func (a *admin) vocabularyExport(c *fiber.Ctx) error {
	b, err := a.vocabulary.Export(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="vocabulary.json"`)
	return c.Send(b)
}
