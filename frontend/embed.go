// Package frontend embeds the built frontend (frontend/dist). It lives here
// because go:embed cannot reach a parent folder.
package frontend

import "embed"

// Dist is the built frontend.
//
//go:embed all:dist
var Dist embed.FS
