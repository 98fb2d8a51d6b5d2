/// An incremental server-sent-events parser over raw bytes.
///
/// Upstream bodies arrive in whatever pieces the network delivers, so an event can be split
/// anywhere — inside a field name, inside a UTF-8 sequence, between the `\r` and `\n` of a
/// line ending — and one piece can hold many events. The parser keeps the unfinished line and
/// event between calls and returns each event once its blank line arrives. It follows the
/// WHATWG rules: `\n`, `\r\n` and `\r` end lines; `:` starts a comment; a field without a
/// colon has an empty value; one space after the colon is dropped; `data:` lines are joined
/// with `\n`; an event without data lines is not dispatched.
///
/// ```swift
/// var parser = SSEParser()
/// for event in try parser.feed(chunk) { handle(event) }
/// if parser.finish() == .midEvent { /* the stream was cut */ }
/// ```
struct SSEParser: Sendable {
    /// How a stream ended.
    enum Ending: Sendable, Equatable {
        /// After a complete event (or nothing at all).
        case clean
        /// Inside an event: a partial line, or fields without their closing blank line.
        case midEvent
    }

    /// An event larger than the limit; a provider never sends one, a broken proxy might.
    struct Overflow: Error, Sendable {
        var limit: Int
    }

    /// The default bound on one event's buffered bytes.
    static let defaultMaxEventBytes = 16 << 20

    private let maxEventBytes: Int
    private var line: [UInt8] = []
    /// The previous piece ended with `\r`: a `\n` starting the next piece belongs to it.
    private var afterCarriageReturn = false
    private var atStreamStart = true
    private var eventType: String?
    private var data: [UInt8] = []
    private var dataLines = 0
    private var lastEventID: String?
    private var retry: Int?
    private var fieldsPending = false

    init(maxEventBytes: Int = SSEParser.defaultMaxEventBytes) {
        self.maxEventBytes = maxEventBytes
    }

    /// Consumes `bytes` and returns the events they complete, in order.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(Overflow) -> [SSEEvent] {
        // One copy of contiguous bytes (Data, arrays); element by element only otherwise.
        let chunk = bytes.withContiguousStorageIfAvailable { Array($0) } ?? Array(bytes)
        var events: [SSEEvent] = []
        var index = 0
        if afterCarriageReturn, let first = chunk.first {
            if first == 0x0A { index = 1 }
            afterCarriageReturn = false
        }
        var start = index
        while index < chunk.count {
            let byte = chunk[index]
            if byte == 0x0A || byte == 0x0D {
                line.append(contentsOf: chunk[start..<index])
                processLine(into: &events)
                if byte == 0x0D {
                    if index + 1 < chunk.count {
                        if chunk[index + 1] == 0x0A { index += 1 }
                    } else {
                        afterCarriageReturn = true
                    }
                }
                index += 1
                start = index
            } else {
                index += 1
            }
        }
        line.append(contentsOf: chunk[start..<chunk.count])
        guard line.count + data.count <= maxEventBytes else { throw Overflow(limit: maxEventBytes) }
        return events
    }

    /// The body ended: whether it ended between events. An event without its closing blank
    /// line is discarded, as the specification says.
    mutating func finish() -> Ending {
        let ending: Ending = line.isEmpty && !fieldsPending ? .clean : .midEvent
        line.removeAll()
        resetEvent()
        return ending
    }

    private mutating func processLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") { return }  // a comment, often a keep-alive
        fieldsPending = true
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let name = line[..<colon]
        let value = line[valueStart...]
        if name.elementsEqual("data".utf8) {
            if dataLines > 0 { data.append(0x0A) }
            data.append(contentsOf: value)
            dataLines += 1
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if name.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        }
        // Any other field is ignored, as the specification says.
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        if dataLines > 0 {
            events.append(SSEEvent(type: eventType ?? "message", data: data, id: lastEventID, retry: retry))
        }
        resetEvent()
    }

    private mutating func resetEvent() {
        eventType = nil
        data.removeAll(keepingCapacity: true)
        dataLines = 0
        retry = nil
        fieldsPending = false
    }
}

extension SSEParser {
    /// ``feed(_:)`` for the stream decoders: an oversized event is a malformed upstream answer.
    mutating func events(from bytes: some Collection<UInt8>) throws(UpstreamError) -> [SSEEvent] {
        do {
            return try feed(bytes)
        } catch {
            throw .malformed("a stream event is larger than \(error.limit) bytes")
        }
    }
}
