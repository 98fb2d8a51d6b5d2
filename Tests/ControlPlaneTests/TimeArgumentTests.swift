import ControlPlane
import Foundation
import Testing

@Suite struct TimeArgumentTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func agesCountBackFromNow() {
        #expect(TimeArgument.date("90s", now: now) == now - 90)
        #expect(TimeArgument.date("24h", now: now) == now - 86_400)
        #expect(TimeArgument.date("2w", now: now) == now - 14 * 86_400)
        #expect(TimeArgument.future("7d", now: now) == now + 7 * 86_400)
        #expect(TimeArgument.date("2026-07-03", now: now) != nil)
    }

    /// An age whose seconds overflow Int trapped the daemon (a control query is outside input).
    @Test func agesPastAThousandYearsOrIntsRangeAreNoTime() {
        #expect(TimeArgument.date("9223372036854775807d", now: now) == nil)
        #expect(TimeArgument.date("9223372036854775807s", now: now) == nil)
        #expect(TimeArgument.future("9223372036854775807w", now: now) == nil)
        #expect(TimeArgument.date("400000d", now: now) == nil)
        #expect(TimeArgument.date("365000d", now: now) == now - 365_000 * 86_400)
        #expect(TimeArgument.date("-5d", now: now) == nil)
        #expect(TimeArgument.date("d", now: now) == nil)
        #expect(TimeArgument.date("5y", now: now) == nil)
    }
}
