import CCurl
import Foundation

/// Owns one `CURL *` easy handle (freed in `deinit`). Not Sendable: one transfer on one thread.
final class CurlHandle {
    private let raw: UnsafeMutableRawPointer

    init() throws(HTTPError) {
        guard let h = curl_easy_init() else {
            throw HTTPError(reason: .other, code: -1, message: "curl_easy_init failed")
        }
        raw = h
    }

    deinit { curl_easy_cleanup(raw) }

    /// Collects the response while libcurl calls back; reached through the payload pointer.
    final class Sink {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
        var upload: [UInt8]
        var uploadOffset = 0
        init(upload: [UInt8]) { self.upload = upload }
    }

    func perform(_ request: HTTPRequest, client: HTTPClient) throws(HTTPError) -> HTTPResponse {
        let sink = Sink(upload: request.body)
        let payload = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }

        var rc = CURLE_OK
        func set(_ code: CURLcode) { if rc == CURLE_OK { rc = code } }
        set(ccurl_setopt_str(raw, CURLOPT_URL, request.url))
        set(ccurl_setopt_str(raw, CURLOPT_CUSTOMREQUEST, request.method))
        set(ccurl_setopt_long(raw, CURLOPT_NOSIGNAL, 1))
        set(ccurl_setopt_long(raw, CURLOPT_TIMEOUT_MS, Int(client.timeout.milliseconds)))
        set(ccurl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Int(client.connectTimeout.milliseconds)))
        set(ccurl_setopt_long(raw, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)))
        set(ccurl_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, client.tls.verifyPeer ? 1 : 0))
        set(ccurl_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, client.tls.verifyPeer ? 2 : 0))
        if let ca = client.tls.caFile { set(ccurl_setopt_str(raw, CURLOPT_CAINFO, ca)) }
        if headerList != nil { set(ccurl_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList)) }
        if request.method == "HEAD" { set(ccurl_setopt_long(raw, CURLOPT_NOBODY, 1)) }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            set(ccurl_setopt_long(raw, CURLOPT_POST, 1))
            set(ccurl_setopt_long(raw, CURLOPT_POSTFIELDSIZE_LARGE, request.body.count))
            set(ccurl_setopt_read(raw, curlRead))
            set(ccurl_setopt_ptr(raw, CURLOPT_READDATA, payload))
        }
        set(ccurl_setopt_write(raw, curlWrite))
        set(ccurl_setopt_ptr(raw, CURLOPT_WRITEDATA, payload))
        set(ccurl_setopt_header(raw, curlHeader))
        set(ccurl_setopt_ptr(raw, CURLOPT_HEADERDATA, payload))
        guard rc == CURLE_OK else { throw error(rc) }

        let result = withExtendedLifetime(sink) { curl_easy_perform(raw) }
        guard result == CURLE_OK else { throw error(result) }
        var status = 0
        var version = 0
        _ = ccurl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        _ = ccurl_getinfo_long(raw, CURLINFO_HTTP_VERSION, &version)
        let versionText = switch version {
        case Int(CURL_HTTP_VERSION_1_0): "1.0"
        case Int(CURL_HTTP_VERSION_2_0): "2"
        case Int(CURL_HTTP_VERSION_3): "3"
        default: "1.1"
        }
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body, httpVersion: versionText)
    }

    private func error(_ code: CURLcode) -> HTTPError {
        let message = String(cString: curl_easy_strerror(code))
        let reason: HTTPError.Reason = switch code {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_COULDNT_RESOLVE_HOST: .resolve
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: .tls
        default: .other
        }
        return HTTPError(reason: reason, code: Int32(code.rawValue), message: message)
    }
}

private let curlWrite: ccurl_data_cb = { ptr, size, count, userdata in
    guard let ptr, let userdata else { return 0 }
    let sink = Unmanaged<CurlHandle.Sink>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    ptr.withMemoryRebound(to: UInt8.self, capacity: n) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
    return n
}

private let curlHeader: ccurl_data_cb = { ptr, size, count, userdata in
    guard let ptr, let userdata else { return 0 }
    let sink = Unmanaged<CurlHandle.Sink>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    let line = ptr.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
    if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        sink.headers[name] = value
    }
    return n
}

private let curlRead: ccurl_data_cb = { ptr, size, count, userdata in
    guard let ptr, let userdata else { return 0 }
    let sink = Unmanaged<CurlHandle.Sink>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, sink.upload.count - sink.uploadOffset)
    guard n > 0 else { return 0 }
    sink.upload.withUnsafeBufferPointer { buf in
        ptr.withMemoryRebound(to: UInt8.self, capacity: n) { dst in
            dst.update(from: buf.baseAddress! + sink.uploadOffset, count: n)
        }
    }
    sink.uploadOffset += n
    return n
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
