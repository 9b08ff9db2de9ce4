// Command benchproxy is the ceiling of any service in front of
// Meilisearch on this machine, for scripts/bench.sh: a fiber app whose
// one route posts a fixed search to Meilisearch over fasthttp and writes
// its answer back untouched — no parsing, no computing, no encoding. What
// it loses against raw Meilisearch is the cost of the two HTTP hops alone,
// which /api/v1/search pays too. It is not part of the service.
package main

import (
	"flag"
	"log"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "where to listen")
	meili := flag.String("meili", "127.0.0.1:7700", "Meilisearch's host:port")
	index := flag.String("index", "bench", "the index")
	key := flag.String("key", "", "Meilisearch's key")
	body := flag.String("body", "", "the search request's JSON body")
	flag.Parse()

	hc := &fasthttp.HostClient{Addr: *meili, MaxConns: 64, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}
	uri := "http://" + *meili + "/indexes/" + *index + "/search"
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/search", func(c *fiber.Ctx) error {
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		req.SetRequestURI(uri)
		req.Header.SetMethod(fasthttp.MethodPost)
		req.Header.SetContentType("application/json")
		req.Header.Set(fasthttp.HeaderAuthorization, "Bearer "+*key)
		req.SetBodyString(*body)
		if err := hc.Do(req, resp); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Status(resp.StatusCode()).Send(resp.Body())
	})
	log.Fatal(app.Listen(*addr))
}
