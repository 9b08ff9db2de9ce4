package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
)

// routes is the one table of every route.
func (s *Server) routes(app *fiber.App) {
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)

	// The API and the open data are public and read-only: any site may
	// embed the map or fetch the data from a browser.
	public := cors.New(cors.Config{AllowOrigins: "*", AllowMethods: "GET,HEAD"})
	api := app.Group("/api/v1", public)
	api.Get("/search", s.search)
	api.Get("/suggest", s.suggest)
	api.Get("/repairers/:slug", s.repairer)
	api.Get("/districts", s.districts)
	api.Get("/districts.geojson", s.districtsGeoJSON)
	api.Get("/categories", s.categories)

	data := app.Group("/data", public)
	data.Get("/repairers.geojson", s.openDataGeoJSON)
	data.Get("/repairers.csv", s.openDataCSV)

	// Pages, for people and crawlers.
	app.Get("/", s.home)
	app.Get("/_/resultater", s.resultsFragment) // the result list alone, for the map script
	app.Get("/reparator/:slug", s.listingPage)
	// "Meld fra om feil": anonymous, so rate-limited per client address,
	// CSRF-checked, with a honeypot field.
	protect := s.csrfProtection() // one token store for every form
	app.Get("/reparator/:slug/meld-feil", protect, s.reportForm)
	app.Post("/reparator/:slug/meld-feil", s.reportLimit(), protect, s.reportSubmit)
	// "Er dette din bedrift?": a claim needs a signed-in (proven) address.
	app.Get("/reparator/:slug/eier", s.withUser, protect, s.claimForm)
	app.Post("/reparator/:slug/eier", s.withUser, s.requireUser, protect, s.claimSubmit)

	// Min side: repairers keep their own listings. Signing in and the
	// "still correct?" link need no session; everything else does, and
	// every form post carries a checked CSRF token.
	account := app.Group("/min-side", s.withUser)
	account.Get("/logg-inn", protect, s.signInForm)
	account.Post("/logg-inn", append([]fiber.Handler{protect}, append(s.linkLimits(), s.signInSubmit)...)...)
	account.Get("/logg-inn/lenke", protect, s.signInLink)
	account.Post("/logg-inn/lenke", protect, s.signInSpend)
	account.Get("/bekreft", protect, s.confirmLink)
	account.Post("/bekreft", protect, s.confirmSubmit)
	account.Post("/logg-ut", s.requireUser, protect, s.signOut)
	account.Get("/", s.requireUser, protect, s.account)
	account.Get("/ny", s.requireUser, protect, s.registerForm)
	account.Post("/ny", s.requireUser, protect, s.registerSubmit)
	account.Get("/oppforing/:id", s.requireUser, protect, s.editForm)
	account.Post("/oppforing/:id", s.requireUser, protect, s.editSubmit)
	app.Get("/_/postnummer/:code", s.postcodeCentre) // the register form's map

	// The municipality's console: every route, read or write, is for
	// admins only (requireAdmin), and every form post is CSRF-checked.
	admin := app.Group("/admin", s.withUser, s.requireAdmin)
	admin.Get("/", protect, s.adminQueue)
	admin.Get("/oppforing/:id", protect, s.adminListing)
	admin.Post("/oppforing/:id/verifiser", protect, s.adminVerify)
	admin.Post("/oppforing/:id/avvis", protect, s.adminReject)
	admin.Post("/oppforing/:id/skjul", protect, s.adminHide)
	admin.Post("/oppforing/:id/vis", protect, s.adminUnhide)
	admin.Post("/oppforing/:id/bonus", protect, s.adminVoucher)
	admin.Get("/oppforing/:id/klistremerke.svg", s.stickerFile)
	admin.Get("/oppforing/:id/klistremerke.pdf", s.stickerFile)
	admin.Post("/endring/:entry/tilbakestill", protect, s.adminRevert)
	admin.Post("/krav/:id", protect, s.adminClaim)
	admin.Post("/melding/:id/lukk", protect, s.adminCloseReport)
	admin.Get("/ferskhet", protect, s.adminFreshness)
	admin.Post("/ferskhet", protect, s.adminAsk)
	admin.Get("/import", protect, s.importForm)
	admin.Post("/import", protect, s.importPreview)
	admin.Post("/import/:id", protect, s.importConfirm)
	admin.Get("/plakat/:district", s.poster)
	admin.Get("/reparasjonsbonus", protect, s.adminVouchers)
	admin.Get("/reparasjonsbonus.csv", s.adminVouchersCSV)
	admin.Get("/statistikk", s.adminStats)
	admin.Get("/statistikk/dekning.csv", s.coverageCSV)
	admin.Get("/statistikk/sok-uten-treff.csv", s.missedCSV)
	app.Get("/om", s.about)
	app.Get("/tilgjengelighet", s.accessibility)
	app.Get("/sitemap.xml", s.sitemap)
	app.Get("/robots.txt", s.robots)
	app.Get("/assets/:file", s.assets.serve)
	app.Get("/favicon.ico", s.favicon)
}
