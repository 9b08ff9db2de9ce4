package web

import (
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/goccy/go-json"
	"github.com/gofiber/fiber/v2"
)

// assets are the built script, styles and icon, held in memory with their
// precompressed copies. Their names carry a hash of their content, so
// browsers may keep them for a year.
type assets struct {
	urls  map[string]string // logical name ("app.js") -> URL path
	files map[string]asset  // file name -> content
}

type asset struct {
	contentType   string
	plain, br, gz []byte
}

// errNotBuilt says how to make what is missing, at start-up.
var errNotBuilt = fmt.Errorf("the frontend is not built: run scripts/build-frontend.sh (scripts/run.sh and scripts/test.sh do)")

func loadAssets(dist fs.FS) (*assets, error) {
	raw, err := fs.ReadFile(dist, "dist/manifest.json")
	if err != nil {
		return nil, errNotBuilt
	}
	var manifest map[string]string
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("web: frontend manifest: %w", err)
	}
	a := &assets{urls: map[string]string{}, files: map[string]asset{}}
	for name, file := range manifest {
		plain, err := fs.ReadFile(dist, "dist/"+file)
		if err != nil {
			return nil, fmt.Errorf("web: asset %s: %w (rebuild the frontend)", name, err)
		}
		br, _ := fs.ReadFile(dist, "dist/"+file+".br")
		gz, _ := fs.ReadFile(dist, "dist/"+file+".gz")
		base := path.Base(file)
		a.urls[name] = "/assets/" + base
		a.files[base] = asset{contentType: mime.TypeByExtension(path.Ext(base)), plain: plain, br: br, gz: gz}
	}
	for _, name := range []string{"app.js", "app.css", "icon.svg"} {
		if _, ok := a.urls[name]; !ok {
			return nil, fmt.Errorf("web: frontend manifest has no %s (rebuild the frontend)", name)
		}
	}
	return a, nil
}

// url is the template function "asset".
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no asset %q", name)
	}
	return u, nil
}

func (a *assets) serve(c *fiber.Ctx) error {
	f, ok := a.files[c.Params("file")]
	if !ok {
		return errNoSuchPage
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderContentType, f.contentType)
	accept := c.Get(fiber.HeaderAcceptEncoding)
	switch {
	case f.br != nil && strings.Contains(accept, "br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(f.br)
	case f.gz != nil && strings.Contains(accept, "gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gz)
	}
	return c.Send(f.plain)
}

// favicon answers the request browsers make on their own with the icon.
func (a *assets) favicon(c *fiber.Ctx) error {
	u, err := a.url("icon.svg")
	if err != nil {
		return err
	}
	return c.Redirect(u, fiber.StatusMovedPermanently)
}
