import CapstanServer
import Synchronization
import Testing

/// A settable clock for the revision age gauge.
final class FakeClock: Sendable {
    let time = Mutex<Double>(1_795_240_800)
    var now: @Sendable () -> Double { { self.time.withLock { $0 } } }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
}

@Suite struct MetricsTests {
    @Test func metricsEndpointServesRecordedValues() async throws {
        let clock = FakeClock()
        let metrics = CapstanMetrics(now: clock.now)
        metrics.recordSync(duration: .milliseconds(300), result: .success)
        metrics.recordSync(duration: .seconds(3), result: .transient)
        metrics.recordAppliedRevision("4f2a9c1")
        metrics.recordApplied(kind: "Cluster", count: 2)
        metrics.recordApplied(kind: "MachineDeployment", count: 3)
        metrics.recordPruned(kind: "ConfigMap")
        metrics.recordHeld(kind: "Cluster")
        metrics.recordRenderErrors(count: 2)
        metrics.recordPolicyDenials(policy: "require-version", count: 4)
        metrics.recordFetchError(.timeout)
        metrics.recordDrift(objects: 7, clusters: 2)
        metrics.recordWebhook(provider: .gitlab, result: .unauthorized)
        clock.advance(42)

        let response = try await withServer(metrics: metrics) { try await $0.get("/metrics") }
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let text = response.text
        #expect(sample(text, #"capstan_syncs_total{result="success"}"#) == 1)
        #expect(sample(text, #"capstan_syncs_total{result="transient"}"#) == 1)
        #expect(sample(text, #"capstan_syncs_total{result="stalled"}"#) == 0)
        #expect(sample(text, "capstan_sync_duration_seconds_count") == 2)
        #expect(sample(text, "capstan_sync_duration_seconds_sum") == 3.3)
        #expect(sample(text, #"capstan_sync_duration_seconds_bucket{le="0.5"}"#) == 1)
        #expect(sample(text, #"capstan_sync_duration_seconds_bucket{le="5.0"}"#) == 2)
        #expect(sample(text, #"capstan_last_applied_revision_info{revision="4f2a9c1"}"#) == 1)
        #expect(sample(text, "capstan_last_applied_revision_timestamp_seconds") == 1_795_240_800)
        #expect(sample(text, "capstan_last_applied_revision_age_seconds") == 42)
        #expect(sample(text, #"capstan_objects_applied_total{kind="Cluster"}"#) == 2)
        #expect(sample(text, #"capstan_objects_applied_total{kind="MachineDeployment"}"#) == 3)
        #expect(sample(text, #"capstan_objects_pruned_total{kind="ConfigMap"}"#) == 1)
        #expect(sample(text, #"capstan_objects_held_total{kind="Cluster"}"#) == 1)
        #expect(sample(text, "capstan_render_errors_total") == 2)
        #expect(sample(text, #"capstan_policy_denials_total{policy="require-version"}"#) == 4)
        #expect(sample(text, #"capstan_fetch_errors_total{reason="timeout"}"#) == 1)
        #expect(sample(text, "capstan_drift_objects") == 7)
        #expect(sample(text, "capstan_drift_clusters") == 2)
        #expect(sample(text, #"capstan_webhook_requests_total{provider="gitlab",result="unauthorized"}"#) == 1)
        for definition in CapstanMetricDefinitions.all {
            #expect(text.contains("# HELP \(definition.name) \(definition.help)\n"), "\(definition.name)")
            #expect(text.contains("# TYPE \(definition.name) \(definition.kind.rawValue)\n"), "\(definition.name)")
        }
    }

    @Test func newRevisionReplacesTheInfoSeries() {
        let clock = FakeClock()
        let metrics = CapstanMetrics(now: clock.now)
        metrics.recordAppliedRevision("aaa111")
        clock.advance(10)
        metrics.recordAppliedRevision("bbb222")
        clock.advance(5)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(!text.contains("aaa111"))
        #expect(sample(text, #"capstan_last_applied_revision_info{revision="bbb222"}"#) == 1)
        #expect(sample(text, "capstan_last_applied_revision_age_seconds") == 5)
        #expect(sample(text, "capstan_last_applied_revision_timestamp_seconds") == 1_795_240_810)
    }

    @Test func noRevisionSeriesBeforeTheFirstApply() {
        let text = String(decoding: CapstanMetrics().exposition(), as: UTF8.self)
        #expect(!text.contains("capstan_last_applied_revision_info{"))
        #expect(sample(text, "capstan_last_applied_revision_age_seconds") == nil)
        #expect(sample(text, #"capstan_syncs_total{result="waiting"}"#) == 0)
    }

    @Test func labelValuesAreEscaped() {
        let metrics = CapstanMetrics()
        metrics.recordPolicyDenials(policy: "a\"b\\c")
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(sample(text, #"capstan_policy_denials_total{policy="a\"b\\c"}"#) == 1)
    }

    @Test func definitionNamesAreUniqueAndPrefixed() {
        let names = CapstanMetricDefinitions.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.hasPrefix("capstan_") })
        #expect(CapstanMetricDefinitions.all.filter { $0.kind == .counter }.allSatisfy { $0.name.hasSuffix("_total") })
    }
}
