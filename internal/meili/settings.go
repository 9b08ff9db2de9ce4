package meili

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"github.com/bergenreparerer/reparerer/search"
)

// loadSettings reads the index settings kept as data in search/: the
// settings proper, the synonym groups and the stop words.
func loadSettings() (*meilisearch.Settings, error) {
	var s meilisearch.Settings
	if err := json.Unmarshal(indexsettings.Settings, &s); err != nil {
		return nil, fmt.Errorf("meili: search/settings.json: %w", err)
	}
	if s.TypoTolerance == nil || s.TypoTolerance.MinWordSizeForTypos.OneTypo == 0 {
		// Enabled alone silently sets the word sizes to 0/0.
		return nil, fmt.Errorf("meili: search/settings.json must set every typoTolerance field")
	}
	synonyms, err := expandSynonyms(indexsettings.Synonyms)
	if err != nil {
		return nil, err
	}
	s.Synonyms = synonyms
	s.StopWords = parseStopWords(indexsettings.StopWords)
	// Meilisearch's typo tolerance would read "smykke" as "sykkel"; the
	// query reader (search.Reader) reads vocabulary words and their typos
	// before Meilisearch sees them. disableOnWords would say the same to
	// Meilisearch, but it also stops facet search from completing those
	// words ("såle" no longer finds "sålereparasjon"), so it is not used.
	return &s, nil
}

// expandSynonyms turns groups of equivalent words into Meilisearch's
// one-way map, so that every word of a group finds all the others.
func expandSynonyms(data []byte) (map[string][]string, error) {
	var file struct {
		Groups [][]string `json:"groups"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("meili: search/synonyms.json: %w", err)
	}
	out := map[string][]string{}
	for _, group := range file.Groups {
		for _, word := range group {
			word = strings.ToLower(word)
			for _, other := range group {
				other = strings.ToLower(other)
				if other != word && !slices.Contains(out[word], other) {
					out[word] = append(out[word], other)
				}
			}
		}
	}
	return out, nil
}

func parseStopWords(data []byte) []string {
	var words []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			words = append(words, w)
		}
	}
	return words
}
