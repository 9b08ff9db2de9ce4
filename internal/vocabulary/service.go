package vocabulary

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
)

// KindIgnore marks a stored group of fillers: words that carry no meaning
// in a repair search. It has no categories.
const KindIgnore Kind = "ignore"

// Addition is a group the municipality added.
type Addition struct {
	ID      string
	Group   Group
	AddedBy string
	AddedAt time.Time
}

// Store keeps the municipality's additions.
type Store interface {
	AddVocabulary(ctx context.Context, groups []Group, by string, at time.Time) error
	VocabularyAdditions(ctx context.Context) ([]Addition, error)
	// DeleteVocabulary removes one addition; an unknown id is apperr not
	// found.
	DeleteVocabulary(ctx context.Context, id string) error
}

// Consumer uses a vocabulary, and takes a new one while it serves (the
// search's query reader).
type Consumer interface {
	SetVocabulary(v *Vocabulary)
}

// Service keeps the vocabulary in use: the built-in file and the
// municipality's additions. A change made through this instance reaches
// the Consumer at once; one made through another instance when Load next
// runs (the app calls it every REPARERER_VOCABULARY_CHECK).
type Service struct {
	Store    Store
	BuiltIn  File
	Consumer Consumer
	Now      func() time.Time

	// loading orders Loads, so that one which read the additions before a
	// change cannot hand its vocabulary over after the change's own Load.
	loading sync.Mutex
	loaded  bool
	inUse   uint64 // the Fingerprint of the additions handed over (BuiltIn never changes)
}

// Bounds of the municipality's additions, all together.
const (
	MaxAdditions     = MaxFileGroups
	MaxAdditionTerms = MaxFileTerms
)

// Load merges the additions with the built-in file and hands the result
// to the Consumer, unless it is the vocabulary already in use: it is
// cheap enough to call every few seconds.
func (s *Service) Load(ctx context.Context) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	adds, err := s.Store.VocabularyAdditions(ctx)
	if err != nil {
		return err
	}
	extra := asFile(adds)
	fp := Fingerprint(extra)
	if s.loaded && fp == s.inUse {
		return nil
	}
	s.Consumer.SetVocabulary(New(s.BuiltIn, extra))
	s.inUse, s.loaded = fp, true
	return nil
}

// Additions are the municipality's groups, oldest first.
func (s *Service) Additions(ctx context.Context) ([]Addition, error) {
	return s.Store.VocabularyAdditions(ctx)
}

// Add checks and stores groups (a file's groups and its fillers), then
// reloads. Nothing is stored when any group is bad.
func (s *Service) Add(ctx context.Context, f File, by string) (int, error) {
	if err := f.Check(); err != nil {
		return 0, err
	}
	groups := append([]Group(nil), f.Groups...)
	if len(f.Ignore) > 0 {
		groups = append(groups, Group{Kind: KindIgnore, Categories: []string{}, Terms: f.Ignore})
	}
	if len(groups) == 0 {
		return 0, apperr.Invalid("file", "err.vocabulary.empty")
	}
	have, err := s.Store.VocabularyAdditions(ctx)
	if err != nil {
		return 0, err
	}
	if len(have)+len(groups) > MaxAdditions {
		return 0, apperr.Invalid("file", "err.vocabulary.too_many_groups", "max", MaxAdditions)
	}
	if termCount(have)+termCount(additions(groups)) > MaxAdditionTerms {
		return 0, apperr.Invalid("file", "err.vocabulary.too_many_terms", "max", MaxAdditionTerms)
	}
	if err := s.Store.AddVocabulary(ctx, groups, by, s.Now().UTC()); err != nil {
		return 0, err
	}
	n := 0
	for _, g := range groups {
		n += len(g.Terms)
	}
	return n, s.Load(ctx)
}

// Remove deletes one addition and reloads.
func (s *Service) Remove(ctx context.Context, id string) error {
	if err := s.Store.DeleteVocabulary(ctx, id); err != nil {
		return err
	}
	return s.Load(ctx)
}

// Export is the built-in file with the additions, in the file format.
func (s *Service) Export(ctx context.Context) ([]byte, error) {
	adds, err := s.Store.VocabularyAdditions(ctx)
	if err != nil {
		return nil, err
	}
	extra := asFile(adds)
	b, err := Encode(File{About: s.BuiltIn.About, Ignore: slices.Concat(s.BuiltIn.Ignore, extra.Ignore), Groups: slices.Concat(s.BuiltIn.Groups, extra.Groups)})
	if err != nil {
		return nil, fmt.Errorf("vocabulary: export: %w", err)
	}
	return b, nil
}

// asFile is the additions as a file: their fillers and their groups.
func asFile(adds []Addition) File {
	var f File
	for _, a := range adds {
		if a.Group.Kind == KindIgnore {
			f.Ignore = append(f.Ignore, a.Group.Terms...)
		} else {
			f.Groups = append(f.Groups, a.Group)
		}
	}
	return f
}

func termCount(adds []Addition) int {
	n := 0
	for _, a := range adds {
		n += len(a.Group.Terms)
	}
	return n
}

func additions(groups []Group) []Addition {
	out := make([]Addition, len(groups))
	for i, g := range groups {
		out[i] = Addition{Group: g}
	}
	return out
}
