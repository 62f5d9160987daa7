package africastalking_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
)

// BenchmarkSendBatch sends 100-recipient batches to the fake over loopback, one request at a time
// ("serial", a single dispatcher worker) and from GOMAXPROCS goroutines ("parallel"), and reports
// messages per second.
func BenchmarkSendBatch(b *testing.B) {
	const batch = 100
	to := make([]string, batch)
	for i := range to {
		to[i] = fmt.Sprintf("+2547%08d", i)
	}
	msg := africastalking.Message{To: to, Text: "Chanjo: kumbuka kipindi cha chanjo kesho saa tatu asubuhi. Piga *384*123# kwa somo."}
	run := func(b *testing.B, parallel bool) {
		fake := fakegatewaytest.NewServer(fakegateway.Options{})
		defer fake.Close()
		c := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: fake.URL})
		send := func() {
			resp, err := c.Send(context.Background(), msg)
			if err != nil || len(resp.Recipients) != batch {
				b.Fatalf("Send() = %v, want %d recipients", err, batch)
			}
		}
		b.ResetTimer()
		if parallel {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					send()
				}
			})
		} else {
			for b.Loop() {
				send()
			}
		}
		b.ReportMetric(float64(fake.SentCount())/b.Elapsed().Seconds(), "msgs/s")
	}
	b.Run("serial", func(b *testing.B) { run(b, false) })
	b.Run("parallel", func(b *testing.B) { run(b, true) })
}
