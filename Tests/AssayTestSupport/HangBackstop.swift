import Testing

extension Trait where Self == TimeLimitTrait {
    /// The time limit for tests that drive subprocesses or long measurements: a backstop against a
    /// hang, never a speed check. Swift Testing starts the clock when the test starts, but under
    /// `swift test`'s parallel load on two cores a synchronous test body can wait minutes for a
    /// thread (CI once saw a 0.06 s test overrun a 2-minute limit), so the limit is generous.
    public static var hangBackstop: Self { .timeLimit(.minutes(10)) }
}
