package metrics_test

import (
	"fmt"

	"github.com/nerve-ml/nerve/metrics"
	"github.com/nerve-ml/nerve/tensor"
)

func ExampleAccuracy() {
	yTrue := []int{0, 1, 2, 2, 1}
	yPred := []int{0, 2, 2, 2, 1}
	fmt.Println(metrics.Accuracy(yTrue, yPred))
	// Output:
	// 0.8
}

func ExampleNewConfusion() {
	yTrue := []string{"cat", "dog", "bird", "cat", "dog", "bird", "cat"}
	yPred := []string{"cat", "cat", "bird", "cat", "dog", "dog", "bird"}
	c := metrics.NewConfusion(yTrue, yPred)
	fmt.Print(c)
	fmt.Println()
	fmt.Print(c.Report())
	// Output:
	// true\pred  bird  cat  dog
	//      bird     1    0    1
	//       cat     1    2    0
	//       dog     0    1    1
	//
	//               precision    recall  f1-score   support
	//
	//         bird       0.50      0.50      0.50         2
	//          cat       0.67      0.67      0.67         3
	//          dog       0.50      0.50      0.50         2
	//
	//     accuracy                           0.57         7
	//    macro avg       0.56      0.56      0.56         7
	// weighted avg       0.57      0.57      0.57         7
}

func ExampleConfusion_PerClass() {
	c := metrics.NewConfusion([]int{1, 1, 0, 0}, []int{1, 0, 0, 0})
	for _, s := range c.PerClass() {
		fmt.Printf("class %s: precision %.3f recall %.3f F1 %.3f support %d\n", s.Class, s.Precision, s.Recall, s.F1, s.Support)
	}
	fmt.Printf("macro F1 %.3f\n", c.Macro().F1)
	// Output:
	// class 0: precision 0.667 recall 1.000 F1 0.800 support 2
	// class 1: precision 1.000 recall 0.500 F1 0.667 support 2
	// macro F1 0.733
}

func ExampleLogLoss() {
	// The example of sklearn's log_loss, with "ham" as class 0 and "spam"
	// as class 1.
	yTrue := []int{1, 0, 0, 1}
	proba := tensor.FromRows([][]float64{{.1, .9}, {.9, .1}, {.8, .2}, {.35, .65}})
	fmt.Printf("%.5f\n", metrics.LogLoss(yTrue, proba))
	// Output:
	// 0.21616
}

func ExampleR2() {
	yTrue := []float64{3, -0.5, 2, 7}
	yPred := []float64{2.5, 0.0, 2, 8}
	fmt.Printf("R² %.4f, MSE %.4f, MAE %.4f\n", metrics.R2(yTrue, yPred), metrics.MSE(yTrue, yPred), metrics.MAE(yTrue, yPred))
	// A constant target: 1 for a perfect prediction, 0 otherwise.
	fmt.Println(metrics.R2([]float64{2, 2, 2}, []float64{2, 2, 2}), metrics.R2([]float64{2, 2, 2}, []float64{2, 2, 2.1}))
	// Output:
	// R² 0.9486, MSE 0.3750, MAE 0.5000
	// 1 0
}

func ExampleR2Dense() {
	// Two outputs, scored separately and averaged.
	yTrue := tensor.FromRows([][]float32{{0.5, 1}, {-1, 1}, {7, -6}})
	yPred := tensor.FromRows([][]float32{{0, 2}, {-1, 2}, {8, -5}})
	fmt.Printf("%.4f\n", metrics.R2Dense(yTrue, yPred))
	// Output:
	// 0.9368
}
