package ussd

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// hopBody is a hop as the gateway posts it, midway through a quiz.
var hopBody = url.Values{"sessionId": {"ATUid_0b5e2c7f3a1d4e6f9a8b"}, "serviceCode": {"*384*123#"},
	"phoneNumber": {"+254700000011"}, "networkCode": {"63902"}, "text": {"2*3*3*1*2"}}.Encode()

// BenchmarkHopForm reads the three fields of a hop: with the hand-written
// reader (hopForm) and with gin's PostForm, which parses the whole form;
// "none" builds the request and reads nothing, the cost to subtract.
func BenchmarkHopForm(b *testing.B) {
	readers := map[string]func(c *gin.Context) (Request, error){
		"none":    func(*gin.Context) (Request, error) { return Request{Text: "2*3*3*1*2"}, nil },
		"hopForm": hopForm,
		"gin": func(c *gin.Context) (Request, error) {
			return Request{SessionID: c.PostForm("sessionId"), Phone: c.PostForm("phoneNumber"), Text: c.PostForm("text")}, nil
		},
	}
	for name, read := range readers {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/ussd", strings.NewReader(hopBody))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				c, _ := gin.CreateTestContext(httptest.NewRecorder())
				c.Request = req
				if r, err := read(c); err != nil || r.Text != "2*3*3*1*2" {
					b.Fatalf("read = %+v, %v", r, err)
				}
			}
		})
	}
}
