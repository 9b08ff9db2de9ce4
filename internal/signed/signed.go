// Package signed makes and checks the tokens of e-mailed links that name a
// row without storing anything: the row's id and an HMAC-SHA256 of a
// purpose and the id under a key kept in the store, so nobody without the
// key can make a link for another row or another purpose.
package signed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// maxID bounds the id a token may carry: ids are UUIDs, and a longer one
// is refused before any hashing.
const maxID = 64

// Token is id's token for purpose: "id.MAC".
func Token(key []byte, purpose, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose + ":" + id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Check returns the id a token for purpose names, and whether the token is
// genuine.
func Check(key []byte, purpose, token string) (string, bool) {
	id, _, ok := strings.Cut(token, ".")
	if !ok || len(id) > maxID {
		return "", false
	}
	return id, hmac.Equal([]byte(Token(key, purpose, id)), []byte(token))
}
