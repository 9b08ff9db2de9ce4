// Package paths builds the address of every page the service links to:
// handlers, e-mails, search hits, printouts and the open data use it, so a
// route is spelled in one place (web's route table) and built in one place
// (here). A test in web checks each builder against the route table.
package paths

import (
	"net/url"
	"strings"
)

// Home is the search page.
const Home = "/"

// Public pages.
const (
	About         = "/om"
	Accessibility = "/tilgjengelighet"
	Sitemap       = "/sitemap.xml"
	OpenDataCSV   = "/data/repairers.csv"
)

// Min side.
const (
	Account  = "/min-side"
	SignIn   = "/min-side/logg-inn"
	SignOut  = "/min-side/logg-ut"
	Register = "/min-side/ny"
	Confirm  = "/min-side/bekreft"
)

// The municipality's console.
const (
	AdminQueue     = "/admin"
	AdminFreshness = "/admin/ferskhet"
	AdminImport    = "/admin/import"
	AdminVouchers  = "/admin/reparasjonsbonus"
	AdminStats     = "/admin/statistikk"
)

// QRSource is the ?kilde= value of a sticker's QR code.
const QRSource = "qr"

// listings is where the listings' pages are.
const listings = "/reparator/"

// SignInReturns are the parts of the site a sign-in may lead back to
// (its "next"): Min side, a listing's pages (a claim), the console.
var SignInReturns = []string{Account, listings, AdminQueue}

// Listing is a published listing's page.
func Listing(slug string) string { return listings + url.PathEscape(slug) }

// ListingQR is the address a listing's sticker encodes: it counts the
// visit and redirects to the listing.
func ListingQR(slug string) string { return Listing(slug) + "?kilde=" + QRSource }

// Report is the "Meld fra om feil" form of a listing.
func Report(slug string) string { return Listing(slug) + "/meld-feil" }

// ReportSent is the listing's page thanking for a report.
func ReportSent(slug string) string { return Listing(slug) + "?meldt=1" }

// Claim is "Er dette din bedrift?" of a listing.
func Claim(slug string) string { return Listing(slug) + "/eier" }

// EditListing is the owner's (or an admin's) form for a listing.
func EditListing(id string) string { return "/min-side/oppforing/" + url.PathEscape(id) }

// SignInNext is the sign-in page that returns to next afterwards.
func SignInNext(next string) string { return SignIn + "?next=" + url.QueryEscape(next) }

// SignInLink is the page a sign-in e-mail's link opens.
func SignInLink(token string) string { return SignIn + "/lenke?token=" + url.QueryEscape(token) }

// ConfirmLink is the page a "still correct?" e-mail's link opens.
func ConfirmLink(token string) string { return Confirm + "?token=" + url.QueryEscape(token) }

// AccountNotice is Min side with a notice ("saved", "registered", …).
func AccountNotice(notice string) string { return Account + "?melding=" + url.QueryEscape(notice) }

// District is the search page filtered to one district.
func District(slug string) string { return Home + "?district=" + url.QueryEscape(slug) }

// MapPlaces is every match of a search page query, for its map.
func MapPlaces(q url.Values) string { return "/_/kart?" + q.Encode() }

// OrgLookup is what the register says about an organisation number, for
// the listing form.
func OrgLookup(orgnr string) string { return "/_/orgnr/" + url.PathEscape(orgnr) }

// ForRepairers is the landing page for repairers.
const ForRepairers = "/for-reparatorer"

// MarkSeen marks a recent edit as seen by the editor.
func MarkSeen(entry string) string { return "/admin/endring/" + url.PathEscape(entry) + "/sett" }

// Tips is the public form that tells the municipality about a repairer.
const Tips = "/tips-oss"

// TipSent is the tip form thanking for a tip.
const TipSent = Tips + "?sendt=1"

// CloseTip marks a tip handled in the console.
func CloseTip(id string) string { return "/admin/tips/" + url.PathEscape(id) + "/lukk" }

// RegisterPage lists repair businesses in the register the directory
// lacks; RegisterAdd adds one.
const RegisterPage = "/admin/enhetsregisteret"

// RegisterAdd turns a register unit into a pending listing.
func RegisterAdd(orgnr string) string { return RegisterPage + "/" + url.PathEscape(orgnr) }

// Vocabulary is the console's page of the search vocabulary.
const Vocabulary = "/admin/ordliste"

// VocabularyImport takes a vocabulary file; VocabularyExport gives one.
const (
	VocabularyImport = Vocabulary + "/import"
	VocabularyExport = Vocabulary + ".json"
)

// DeleteVocabulary removes one of the municipality's vocabulary groups.
func DeleteVocabulary(id string) string { return Vocabulary + "/" + url.PathEscape(id) + "/slett" }

// Tip is the tip form, with the category the resident searched for.
func Tip(category string) string {
	if category == "" {
		return Tips
	}
	return Tips + "?category=" + url.QueryEscape(category)
}

// Quality marks: the public page explaining them, and the console's list
// of labels.
const (
	Marks       = "/merker"
	AdminLabels = "/admin/merker"
)

// LabelLogo is a label's uploaded logo.
func LabelLogo(slug string) string { return Marks + "/" + url.PathEscape(slug) + "/logo" }

// The embeddable search: the configurator, and the page other sites frame.
const (
	EmbedConfigurator = "/innbygging"
	Embedded          = "/innbygget"
)

// EmbeddedSearch is the framed search page with the given query.
func EmbeddedSearch(q url.Values) string {
	if len(q) == 0 {
		return Embedded
	}
	return Embedded + "?" + q.Encode()
}

// Search is the search page with the given query.
func Search(q url.Values) string {
	if len(q) == 0 {
		return Home
	}
	return Home + "?" + q.Encode()
}

// AdminListing is one listing in the console.
func AdminListing(id string) string { return "/admin/oppforing/" + url.PathEscape(id) }

// AdminAction is the address an editor's action on a listing posts to:
// "verifiser", "avvis", "skjul", "vis", "bonus".
func AdminAction(id, action string) string { return AdminListing(id) + "/" + action }

// Sticker is a listing's sticker, ext "svg" or "pdf".
func Sticker(id, ext string) string { return AdminListing(id) + "/klistremerke." + ext }

// Poster is a district's poster.
func Poster(district string) string { return "/admin/plakat/" + url.PathEscape(district) }

// Revert is the address that undoes one audit entry.
func Revert(entryID string) string {
	return "/admin/endring/" + url.PathEscape(entryID) + "/tilbakestill"
}

// AdminClaim is where an editor decides a claim.
func AdminClaim(id string) string { return "/admin/krav/" + url.PathEscape(id) }

// AcceptSuggestion and RejectSuggestion decide a suggested change.
func AcceptSuggestion(id string) string { return "/admin/forslag/" + url.PathEscape(id) + "/godta" }

// RejectSuggestion rejects a suggested change with a reason.
func RejectSuggestion(id string) string { return "/admin/forslag/" + url.PathEscape(id) + "/avvis" }

// CloseReport is where an editor closes an error report.
func CloseReport(id string) string { return "/admin/melding/" + url.PathEscape(id) + "/lukk" }

// ImportConfirm is where an editor confirms a previewed import.
func ImportConfirm(id string) string { return AdminImport + "/" + url.PathEscape(id) }

// ImportStatus is the progress of a confirmed import, for the page's script.
func ImportStatus(id string) string { return ImportConfirm(id) + "/status" }

// ImportProblems is a previewed file's problems as CSV, to mend and upload again.
func ImportProblems(id string) string { return ImportConfirm(id) + "/problemer.csv" }

// Absolute joins the public base URL and a path, for e-mails, QR codes,
// the sitemap and the open data.
func Absolute(baseURL, path string) string { return strings.TrimSuffix(baseURL, "/") + path }

// Quote requests on the European Repair Information Form: the resident's
// request on a listing, the link that confirms it, the repairer's form,
// and the resident's private page and PDF. Tokens go in the query, which
// the access log leaves out.
const (
	QuoteConfirmPage = "/pristilbud/bekreft"
	QuoteAnswerPage  = "/pristilbud/svar"
	QuoteDeclinePage = "/pristilbud/avsla"
	QuoteViewPage    = "/pristilbud/skjema"
	QuotePDFPage     = "/pristilbud/skjema.pdf"
)

// WithLang is path in the language lang: bokmål, the default, needs no
// parameter.
func WithLang(path, lang string) string {
	switch {
	case lang == "" || lang == "nb":
		return path
	case strings.Contains(path, "?"):
		return path + "&lang=" + url.QueryEscape(lang)
	}
	return path + "?lang=" + url.QueryEscape(lang)
}

// QuoteRequest is a listing's "Be om pristilbud" form.
func QuoteRequest(slug string) string { return Listing(slug) + "/pristilbud" }

// QuoteConfirm is the link that confirms a resident's request.
func QuoteConfirm(token string) string { return QuoteConfirmPage + "?t=" + url.QueryEscape(token) }

// QuoteAnswer is the repairer's link to the form.
func QuoteAnswer(token string) string { return QuoteAnswerPage + "?t=" + url.QueryEscape(token) }

// QuoteView is the resident's private page with the answer.
func QuoteView(token string) string { return QuoteViewPage + "?t=" + url.QueryEscape(token) }

// QuotePDF is the answer as a PDF.
func QuotePDF(token string) string { return QuotePDFPage + "?t=" + url.QueryEscape(token) }

// SearchCategory is the search page for one category.
func SearchCategory(category string) string { return Home + "?category=" + url.QueryEscape(category) }

// Events: the calendar of repair-café sessions and bus stops, its feeds,
// and the repair bus's page.
const (
	Calendar     = "/kalender"
	CalendarFeed = "/kalender.ics"
	Bus          = "/reparasjonsbussen"
	AdminEvents  = "/admin/arrangementer"
	AdminBus     = "/admin/reparasjonsbussen"
)

// ListingFeed is a listing's sessions as an iCal feed.
func ListingFeed(slug string) string { return Listing(slug) + "/kalender.ics" }

// OwnerEvents is where a listing's owner publishes its sessions.
func OwnerEvents(listingID string) string {
	return "/min-side/oppforing/" + url.PathEscape(listingID) + "/arrangementer"
}

// OwnerEvent is one of them; action (optional) is "slett".
func OwnerEvent(listingID, eventID string, action ...string) string {
	return withAction(OwnerEvents(listingID)+"/"+url.PathEscape(eventID), action)
}

// AdminEvent is an event in the console; action (optional) is "slett".
func AdminEvent(eventID string, action ...string) string {
	return withAction(AdminEvents+"/"+url.PathEscape(eventID), action)
}

func withAction(p string, action []string) string {
	if len(action) > 0 {
		return p + "/" + action[0]
	}
	return p
}

// Following a place: the form's target, and the links of its e-mails
// (their signed tokens in the query, which the access log leaves out).
const (
	Follow            = "/folg"
	FollowConfirmPage = "/folg/bekreft"
	FollowStopPage    = "/folg/avslutt"
)

// FollowConfirm is the link that confirms a follow.
func FollowConfirm(token string) string { return FollowConfirmPage + "?t=" + url.QueryEscape(token) }

// FollowStop is the link that ends a follow.
func FollowStop(token string) string { return FollowStopPage + "?t=" + url.QueryEscape(token) }
