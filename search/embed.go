// Package indexsettings holds the search data: the Meilisearch index settings (attributes,
// ranking rules and typo tolerance: settings.json), the synonym groups
// (synonyms.json), the stop words (stopwords.txt), the object vocabulary
// (vocabulary.json) and the place names (places.json). The service applies
// them at start-up.
package indexsettings

import _ "embed"

// Settings is settings.json: Meilisearch settings in its own JSON form.
//
//go:embed settings.json
var Settings []byte

// Synonyms is synonyms.json: groups of words that all mean the same.
//
//go:embed synonyms.json
var Synonyms []byte

// StopWords is stopwords.txt: one word a line, "#" starts a comment.
//
//go:embed stopwords.txt
var StopWords []byte

// Vocabulary is vocabulary.json: what residents name when something breaks
// (objects, parts, faults, repairs, trades), mapped to categories, and the
// words that carry no meaning in a repair search.
//
//go:embed vocabulary.json
var Vocabulary []byte

// Places is places.json: area names residents use that are neither a
// district nor a postal place, defined by their postcodes, and other names
// of the districts.
//
//go:embed places.json
var Places []byte
