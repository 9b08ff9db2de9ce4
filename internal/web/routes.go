package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"

	"github.com/bergenreparerer/reparerer/internal/paths"
)

// routes is the one table of every route. Paths are built by package
// paths; TestEveryPathIsARoute checks each builder against this table.
func routes(app *fiber.App, mw *middleware, a *assets, pub *public, acct *account, adm *admin, ev *events) {
	app.Get("/healthz", pub.healthz)
	app.Get("/readyz", pub.readyz)

	// The API and the open data are public and read-only: any site may
	// embed the map or fetch the data from a browser.
	open := cors.New(cors.Config{AllowOrigins: "*", AllowMethods: "GET,HEAD"})
	api := app.Group("/api/v1", open)
	api.Get("/search", pub.apiSearch)
	api.Get("/suggest", pub.suggest)
	api.Get("/repairers/:slug", pub.apiRepairer)
	api.Get("/districts", pub.apiDistricts)
	api.Get("/districts.geojson", pub.apiDistrictsGeoJSON)
	api.Get("/categories", pub.apiCategories)
	api.Get("/openapi.json", apiDescription)
	api.Get("/labels", pub.apiLabels)

	data := app.Group("/data", open)
	data.Get("/repairers.geojson", pub.openDataGeoJSON)
	data.Get("/repairers.csv", pub.openDataCSV)
	data.Get("/hsds/services.json", pub.openDataHSDS)

	// Pages, for people and crawlers.
	app.Get("/", pub.home)
	app.Get("/_/resultater", pub.resultsFragment) // the result list alone, for the map script
	app.Get("/_/kart", pub.mapPlaces)             // every match of the query, for the map
	app.Get("/reparator/:slug", pub.listingPage)
	app.Get(paths.Marks, pub.marksPage)
	app.Get(paths.Marks+"/:slug/logo", pub.labelLogo)
	app.Get(paths.EmbedConfigurator, pub.embedConfigurator)
	app.Get(paths.Embedded, pub.embedded)
	csrf := mw.csrf()
	// Repair-café sessions and the repair bus: the calendar, its iCal
	// feeds (open to calendar apps) and the bus's page.
	app.Get(paths.Calendar, ev.calendar)
	app.Get(paths.CalendarFeed, open, ev.calendarFeed)
	app.Get("/reparator/:slug/kalender.ics", open, ev.listingFeed)
	app.Get(paths.Bus, ev.busPage)
	// Following a café or a category in a district: anonymous like a
	// report; the e-mails' links carry signed tokens. The one-click
	// unsubscribe takes mail clients' posts, which carry no form token.
	app.Get(paths.Follow, csrf, ev.followForm)
	app.Post(paths.Follow, mw.reportLimit("follows"), csrf, ev.followSubmit)
	app.Get(paths.FollowConfirmPage, noStore, csrf, ev.followLink("confirm"))
	app.Post(paths.FollowConfirmPage, noStore, csrf, ev.followConfirm)
	app.Get(paths.FollowStopPage, noStore, csrf, ev.followLink("stop"))
	app.Post(paths.FollowStopPage, noStore, mw.reportLimit("unfollows"), ev.followStop)
	// "Meld fra om feil": anonymous, so rate-limited per client address,
	// CSRF-checked, with a honeypot field.
	app.Get("/reparator/:slug/meld-feil", csrf, pub.reportForm)
	app.Post("/reparator/:slug/meld-feil", mw.reportLimit("reports"), csrf, pub.reportSubmit)
	// "Tips oss": anonymous like "Meld fra om feil", and held back alike.
	app.Get("/tips-oss", csrf, pub.tipForm)
	app.Post("/tips-oss", mw.reportLimit("tips"), csrf, pub.tipSubmit)
	// Quote requests on the European Repair Information Form: anonymous
	// like a report, and held back alike; the links carry their tokens.
	app.Get("/reparator/:slug/pristilbud", csrf, pub.quoteForm)
	app.Post("/reparator/:slug/pristilbud", append(mw.quoteLimits(), csrf, pub.quoteSubmit)...)
	app.Get(paths.QuoteConfirmPage, noStore, csrf, pub.quoteConfirmPage)
	app.Post(paths.QuoteConfirmPage, noStore, csrf, pub.quoteConfirm)
	app.Get(paths.QuoteAnswerPage, noStore, csrf, pub.quoteAnswerForm)
	app.Post(paths.QuoteAnswerPage, noStore, mw.quoteReplyLimit(), csrf, pub.quoteAnswer)
	app.Post(paths.QuoteDeclinePage, noStore, mw.quoteReplyLimit(), csrf, pub.quoteDecline)
	app.Get(paths.QuoteViewPage, noStore, pub.quoteView)
	app.Get(paths.QuotePDFPage, noStore, pub.quotePDF)
	// "Er dette din bedrift?": a claim needs a signed-in (proven) address.
	app.Get("/reparator/:slug/eier", noStore, mw.withUser, csrf, acct.claimForm)
	app.Post("/reparator/:slug/eier", mw.withUser, mw.requireUser, csrf, acct.claimSubmit)

	// Min side: repairers keep their own listings. Signing in and the
	// "still correct?" link need no session; everything else does, and
	// every form post carries a checked CSRF token.
	my := app.Group("/min-side", noStore, mw.withUser)
	my.Get("/logg-inn", csrf, acct.signInForm)
	my.Post("/logg-inn", append(append([]fiber.Handler{csrf}, mw.linkLimits(acct.linkLimitReached, acct.linksAlreadySent)...), acct.signInSubmit)...)
	my.Get("/logg-inn/lenke", csrf, acct.signInLink)
	my.Post("/logg-inn/lenke", csrf, acct.signInSpend)
	my.Get("/bekreft", csrf, acct.confirmLink)
	my.Post("/bekreft", csrf, acct.confirmSubmit)
	my.Post("/logg-ut", mw.requireUser, csrf, acct.signOut)
	my.Get("/", mw.requireUser, csrf, acct.overview)
	my.Get("/ny", mw.requireUser, csrf, acct.registerForm)
	registrationsByClient, registrationsByAccount := mw.writeLimits("registrations", registrationsPerHour, registrationsPerClientHour, time.Hour)
	my.Post("/ny", mw.requireUser, csrf, registrationsByClient, registrationsByAccount, acct.registerSubmit)
	my.Get("/oppforing/:id", mw.requireUser, csrf, acct.editForm)
	editsByClient, editsByAccount := mw.writeLimits("edits", editsPerHour, editsPerClientHour, time.Hour)
	my.Post("/oppforing/:id", mw.requireUser, csrf, editsByClient, editsByAccount, acct.editSubmit)
	// A listing's sessions, for its owners (checked on every request).
	eventsByClient, eventsByAccount := mw.writeLimits("events", eventWritesPerHour, eventWritesPerClientHour, time.Hour)
	my.Get("/oppforing/:id/arrangementer", mw.requireUser, csrf, ev.ownerList)
	my.Get("/oppforing/:id/arrangementer/:eid", mw.requireUser, csrf, ev.ownerForm)
	my.Post("/oppforing/:id/arrangementer/:eid", mw.requireUser, csrf, eventsByClient, eventsByAccount, ev.ownerSave)
	my.Post("/oppforing/:id/arrangementer/:eid/slett", mw.requireUser, csrf, eventsByClient, eventsByAccount, ev.ownerDelete)
	app.Get("/_/postnummer/:code", pub.postcodeCentre) // the register form's map
	// The register form's "fill in from Enhetsregisteret": for signed-in
	// repairers only, and held back per client.
	app.Get("/_/orgnr/:orgnr", noStore, mw.withUser, mw.requireUser, mw.lookupLimit("orgnr", 30), acct.orgLookup)
	// Its address completion (Kartverket's address API): the same.
	app.Get("/_/adresse", noStore, mw.withUser, mw.requireUser, mw.lookupLimit("address", 120), acct.addressSuggest)

	// The municipality's console: every route, read or write, is for
	// admins only (requireAdmin), and every form post is CSRF-checked.
	console := app.Group("/admin", noStore, mw.withUser, mw.requireAdmin)
	console.Get("/", csrf, adm.queue)
	console.Get("/oppforing/:id", csrf, adm.listing)
	console.Post("/oppforing/:id/verifiser", csrf, adm.verify)
	console.Post("/oppforing/:id/avvis", csrf, adm.reject)
	console.Post("/oppforing/:id/skjul", csrf, adm.hide)
	console.Post("/oppforing/:id/vis", csrf, adm.unhide)
	console.Post("/oppforing/:id/bonus", csrf, adm.voucher)
	console.Post("/oppforing/:id/merker", csrf, adm.setMarks)
	console.Get("/merker", csrf, adm.labelsPage)
	console.Post("/merker", csrf, adm.saveLabel)
	console.Post("/oppforing/:id/eier/fjern", csrf, adm.removeOwner)
	console.Get("/oppforing/:id/klistremerke.svg", adm.sticker)
	console.Get("/oppforing/:id/klistremerke.pdf", adm.sticker)
	console.Post("/endring/:entry/tilbakestill", csrf, adm.revert)
	console.Post("/endring/:entry/sett", csrf, adm.markSeen)
	console.Post("/krav/:id", csrf, adm.decideClaim)
	console.Post("/melding/:id/lukk", csrf, adm.closeReport)
	console.Post("/tips/:id/lukk", csrf, adm.closeTip)
	console.Post("/forslag/:id/godta", csrf, adm.acceptSuggestion)
	console.Post("/forslag/:id/avvis", csrf, adm.rejectSuggestion)
	console.Get("/oppforinger", adm.find)
	console.Get("/enhetsregisteret", csrf, adm.registerPage)
	console.Post("/enhetsregisteret/:orgnr", csrf, adm.registerAdd)
	console.Get("/ordliste", csrf, adm.vocabularyPage)
	console.Post("/ordliste", csrf, adm.vocabularyAdd)
	console.Post("/ordliste/import", csrf, adm.vocabularyImport)
	console.Post("/ordliste/:id/slett", csrf, adm.vocabularyDelete)
	console.Get("/ordliste.json", adm.vocabularyExport)
	console.Get("/ferskhet", csrf, adm.freshness)
	console.Post("/ferskhet", csrf, adm.ask)
	console.Get("/import", csrf, adm.importForm)
	console.Post("/import", csrf, adm.importPreview)
	console.Post("/import/:id", csrf, adm.importConfirm)
	console.Get("/import/:id", csrf, adm.importStatus)
	console.Get("/import/:id/status", adm.importStatusJSON)
	console.Get("/import/:id/problemer.csv", adm.importProblemsCSV)
	console.Get("/plakat/:district", adm.poster)
	console.Get("/reparasjonsbonus", csrf, adm.vouchers)
	console.Get("/reparasjonsbonus.csv", adm.vouchersCSV)
	console.Get("/arrangementer", csrf, ev.adminList)
	console.Get("/arrangementer/:eid", csrf, ev.adminForm)
	console.Post("/arrangementer/:eid", csrf, ev.adminSave)
	console.Post("/arrangementer/:eid/slett", csrf, ev.adminDelete)
	console.Get("/reparasjonsbussen", csrf, ev.busAdmin)
	console.Post("/reparasjonsbussen", csrf, ev.busAdminPost)
	console.Get("/statistikk", adm.stats)
	console.Get("/statistikk/dekning.csv", adm.coverageCSV)
	console.Get("/statistikk/sok-uten-treff.csv", adm.missedCSV)

	app.Get("/om", pub.about)
	app.Get("/for-reparatorer", pub.forRepairers)
	app.Get("/tilgjengelighet", pub.accessibility)
	app.Get("/sitemap.xml", pub.sitemap)
	app.Get("/robots.txt", pub.robots)
	app.Get("/assets/:file", a.serve)
	app.Get("/favicon.ico", a.favicon)
}
