package testenv

import (
	"context"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/store"
)

// Store opens a new, empty store of the engine StoreEnv selects (SQLite by
// default); it is closed when the test ends.
func Store(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), StoreTarget(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// Districts is the map of Bergen's districts.
func Districts(tb testing.TB) *district.Map {
	tb.Helper()
	m, err := district.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// Messages is the message catalogue.
func Messages(tb testing.TB) *i18n.Catalogue {
	tb.Helper()
	c, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Postcodes is Bergen's postcode book.
func Postcodes(tb testing.TB) *postcode.Book {
	tb.Helper()
	b, err := postcode.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
