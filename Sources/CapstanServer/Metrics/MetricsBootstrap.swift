import Metrics
import Prometheus
import Synchronization

/// Routes swift-metrics (`Counter(label:)`, `Timer(label:)` in libraries) into a `CapstanMetrics` registry, so
/// they appear on `/metrics` next to Capstan's own. `MetricsSystem.bootstrap` may run only once per process and
/// traps on a second call; this wrapper makes a second call a no-op. Bootstrapping is the executable's job:
/// servers and tests never need it, because `CapstanMetrics` records into its registry directly.
public enum MetricsBootstrap {
    private static let done = Mutex(false)

    /// Bootstraps the global metrics system with `metrics`' registry. Returns false (and changes nothing)
    /// when this process already bootstrapped it.
    @discardableResult
    public static func bootstrap(_ metrics: CapstanMetrics) -> Bool {
        done.withLock { done in
            guard !done else { return false }
            done = true
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
            return true
        }
    }
}
