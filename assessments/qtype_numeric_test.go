package assessments

// The sample question TestEveryTypeInTheTable checks for qtype_numeric.go.
var _ = sample(Question{ID: "q4", Type: Numeric, Prompt: "How many?", Points: 1, Answer: Answer{Value: ptr(42.5), Tolerance: 0.5}})
