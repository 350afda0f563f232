package plot_test

import (
	"fmt"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/nerve-ml/nerve/plot"
	"github.com/nerve-ml/nerve/train"
)

// A loss curve from a training history, as train.Fit returns it.
func ExampleLoss() {
	h := &train.History{BestEpoch: 20}
	for e := 1; e <= 20; e++ {
		h.Epochs = append(h.Epochs, train.EpochStats{
			Epoch:       e,
			Loss:        math.Exp(-float64(e) / 5),
			ValLoss:     math.Exp(-float64(e)/6) + 0.05,
			Accuracy:    math.NaN(), // a regressor has no accuracy
			ValAccuracy: math.NaN(),
		})
	}
	dir, err := os.MkdirTemp("", "plot-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "loss.png")
	if err := plot.Loss(path, h, plot.Options{Width: 640, Height: 400}); err != nil {
		log.Fatal(err)
	}

	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d×%d pixels\n", cfg.Width, cfg.Height)

	err = plot.Loss(filepath.Join(dir, "loss.jpg"), h, plot.Options{})
	fmt.Println(err != nil)
	// Output:
	// 640×400 pixels
	// true
}
