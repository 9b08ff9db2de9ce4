package vocabulary_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/testenv"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
)

// consumer keeps the last vocabulary it was given.
type consumer struct{ v *vocabulary.Vocabulary }

func (c *consumer) SetVocabulary(v *vocabulary.Vocabulary) { c.v = v }

func TestServiceAddsRemovesAndExports(t *testing.T) {
	ctx := context.Background()
	use := &consumer{}
	builtIn := vocabulary.File{Ignore: []string{"bytte"}, Groups: []vocabulary.Group{{Categories: []string{"sko"}, Kind: vocabulary.KindTrade, Terms: []string{"skomaker"}}}}
	s := &vocabulary.Service{Store: testenv.Store(t), BuiltIn: builtIn, Consumer: use, Now: time.Now}
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if use.v.Len() != 1 {
		t.Fatalf("built in: %d words", use.v.Len())
	}
	n, err := s.Add(ctx, vocabulary.File{Ignore: []string{"Takk "}, Groups: []vocabulary.Group{{Categories: []string{"ur-smykker"}, Kind: vocabulary.KindObject, Terms: []string{"Lommeur", "lommeuret"}}}}, "red@bergen.kommune.no")
	if err != nil || n != 3 {
		t.Fatalf("add: %d, %v", n, err)
	}
	if e, ok := use.v.Lookup("lommeur"); !ok || !slices.Equal(e.Categories, []string{"ur-smykker"}) || !use.v.Ignored("takk") {
		t.Errorf("after adding: %+v %v, takk ignored %v", e, ok, use.v.Ignored("takk"))
	}
	adds, err := s.Additions(ctx)
	if err != nil || len(adds) != 2 || adds[0].AddedBy != "red@bergen.kommune.no" {
		t.Fatalf("additions %+v %v", adds, err)
	}
	export, err := s.Export(ctx)
	if err != nil || !strings.Contains(string(export), `"lommeur"`) || !strings.Contains(string(export), `"skomaker"`) {
		t.Errorf("export: %v\n%s", err, export)
	}
	if _, err := vocabulary.Parse(export); err != nil {
		t.Errorf("the export is not a valid file: %v", err)
	}
	for _, a := range adds {
		if err := s.Remove(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := use.v.Lookup("lommeur"); ok || use.v.Ignored("takk") {
		t.Error("removed words still read")
	}
	if err := s.Remove(ctx, "finnes-ikke"); apperr.CodeOf(err) != apperr.CodeNotFound {
		t.Errorf("removing an unknown group: %v", err)
	}
	// A bad group stores nothing, not even the good ones beside it.
	bad := vocabulary.File{Groups: []vocabulary.Group{
		{Categories: []string{"sko"}, Kind: vocabulary.KindObject, Terms: []string{"tresko"}},
		{Categories: []string{"biler"}, Kind: vocabulary.KindObject, Terms: []string{"bil"}},
	}}
	if _, err := s.Add(ctx, bad, "red"); apperr.CodeOf(err) != apperr.CodeInvalidParameter {
		t.Errorf("a bad file: %v", err)
	}
	if adds, _ := s.Additions(ctx); len(adds) != 0 {
		t.Errorf("a refused file stored %d groups", len(adds))
	}
	huge := vocabulary.File{Groups: []vocabulary.Group{{Categories: []string{"sko"}, Kind: vocabulary.KindObject}}}
	for i := 0; i <= vocabulary.MaxAdditionTerms; i++ {
		huge.Groups[0].Terms = append(huge.Groups[0].Terms, "ord"+strings.Repeat("x", i%50)+string(rune('a'+i%26)))
	}
	if _, err := s.Add(ctx, huge, "red"); apperr.CodeOf(err) != apperr.CodeInvalidParameter {
		t.Errorf("more words than the bound: %v", err)
	}
}

// counting counts the vocabularies it is given.
type counting struct{ handed int }

func (c *counting) SetVocabulary(*vocabulary.Vocabulary) { c.handed++ }

// Load runs every few seconds on every instance: it hands a vocabulary
// over only when the additions changed, including through another
// instance (another Service on the same store).
func TestLoadHandsOverOnlyChanges(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	builtIn := vocabulary.File{Groups: []vocabulary.Group{{Categories: []string{"sko"}, Kind: vocabulary.KindTrade, Terms: []string{"skomaker"}}}}
	mine, theirs := &counting{}, &consumer{}
	here := &vocabulary.Service{Store: st, BuiltIn: builtIn, Consumer: mine, Now: time.Now}
	there := &vocabulary.Service{Store: st, BuiltIn: builtIn, Consumer: theirs, Now: time.Now}
	for range 3 {
		if err := here.Load(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if mine.handed != 1 {
		t.Fatalf("three loads of one vocabulary handed it over %d times, want 1", mine.handed)
	}
	if _, err := there.Add(ctx, vocabulary.File{Groups: []vocabulary.Group{{Categories: []string{"ur-smykker"}, Kind: vocabulary.KindObject, Terms: []string{"lommeur"}}}}, "red@bergen.kommune.no"); err != nil {
		t.Fatal(err)
	}
	if err := here.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if mine.handed != 2 {
		t.Errorf("a change through another instance: handed over %d times in all, want 2", mine.handed)
	}
}
