package web

import (
	"github.com/gofiber/fiber/v2"
)

// routes is the one table of every route.
func (s *Server) routes(app *fiber.App) {
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)

	api := app.Group("/api/v1")
	api.Get("/search", s.search)
	api.Get("/repairers/:slug", s.repairer)
	api.Get("/districts", s.districts)
	api.Get("/districts.geojson", s.districtsGeoJSON)
	api.Get("/categories", s.categories)

	app.Get("/data/repairers.geojson", s.openDataGeoJSON)
	app.Get("/data/repairers.csv", s.openDataCSV)

	app.Get("/", s.home)
}
