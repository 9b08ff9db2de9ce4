// Package frontend embeds the built map script and styles (frontend/dist,
// made by build.mjs) and the page templates. It lives here because
// The embed directive cannot reach a parent folder.
package frontend

import "embed"

// Dist is the built frontend: dist/manifest.json names each asset's
// content-hashed file under dist/assets.
//
//go:embed all:dist
var Dist embed.FS

// Templates are the html/template pages.
//
//go:embed templates/*.html
var Templates embed.FS
