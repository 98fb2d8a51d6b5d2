import Foundation
import Glibc
import PriceFeeds
import Testing

/// Files an operator names that cannot be read say why, in words (not "NSCocoaErrorDomain
/// error 256"), and a FIFO never hangs the read.
@Suite struct LocalFileTests {
    let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("localfile-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func failure(_ path: String) -> String? {
        do {
            _ = try LocalFile.text(path)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func whatCannotBeReadSaysWhy() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(failure(directory + "/missing.yaml") == "does not exist")
        try FileManager.default.createDirectory(atPath: directory + "/dir.yaml", withIntermediateDirectories: false)
        #expect(failure(directory + "/dir.yaml") == "is a directory, not a file")
        // A FIFO nobody writes to is refused rather than waited on, or read as an empty file
        // (a reload of `--config <(…)` would have taken that for "all defaults").
        #expect(mkfifo(directory + "/fifo.yaml", 0o600) == 0)
        #expect(failure(directory + "/fifo.yaml") == "is a pipe or device with nothing to read (its writer is gone or never wrote)")
        // A pipe with something in it is read to its end.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        _ = "id: piped\n".withCString { write(ends[1], $0, 10) }
        close(ends[1])
        #expect(try LocalFile.text("/proc/self/fd/\(ends[0])") == "id: piped\n")
        close(ends[0])
        try FileManager.default.createSymbolicLink(atPath: directory + "/a.yaml", withDestinationPath: directory + "/b.yaml")
        try FileManager.default.createSymbolicLink(atPath: directory + "/b.yaml", withDestinationPath: directory + "/a.yaml")
        #expect(failure(directory + "/a.yaml")?.hasPrefix("cannot be opened: too many levels of symbolic links") == true)
        try Data([0x69, 0x64, 0x3A, 0x20, 0xC3, 0x28]).write(to: URL(fileURLWithPath: directory + "/latin.yaml"))
        #expect(failure(directory + "/latin.yaml") == "is not UTF-8 text (an invalid byte sequence at byte 4)")
        try "id: ok\n".write(toFile: directory + "/ok.yaml", atomically: true, encoding: .utf8)
        #expect(try LocalFile.text(directory + "/ok.yaml") == "id: ok\n")
    }
}
