package web

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI describes every public route of the API and the open data
// (OpenAPI 3.1); the tests validate real answers of each route against it.
//
//go:embed api/openapi.json
var openAPI []byte

// OpenAPI is the description, for the tests that hold the routes to it.
func OpenAPI() []byte { return openAPI }

func apiDescription(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(openAPI)
}
