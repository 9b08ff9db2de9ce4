// Package indexsettings holds the Meilisearch index settings as data: attributes,
// ranking rules and typo tolerance (settings.json), the synonym groups
// (synonyms.json) and the stop words (stopwords.txt). The service applies
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
