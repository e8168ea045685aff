// Benchmarks are added per hot path (render, diff, git poll, apply, CEL, YAML); see `make bench`.
print("capstan-bench: no benchmarks yet")
