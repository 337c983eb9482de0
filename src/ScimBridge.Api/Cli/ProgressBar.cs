using ScimBridge.Core.Reconciliation;

namespace ScimBridge.Api.Cli;

/// <summary>
/// Draws a reconciliation's progress on standard error, so standard output stays the report scripts read. On a
/// terminal it redraws one line (every target's phase, and a bar while steps are applied), at most ten times a second;
/// elsewhere (a log, a pipe) it prints a line when a target changes phase and at each tenth of its steps.
/// </summary>
internal sealed class ProgressBar(TextWriter error, bool interactive, TimeProvider time) : IProgress<ReconcileProgress>
{
    private const int Width = 20;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, ReconcileProgress> _targets = new(StringComparer.Ordinal);
    private long _lastDraw;
    private int _drawnWidth;

    public void Report(ReconcileProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _targets.TryGetValue(value.Target, out var before);
            _targets[value.Target] = value;
            if (interactive)
            {
                var now = time.GetTimestamp();
                if (value.Phase == "done" || time.GetElapsedTime(_lastDraw, now) >= RedrawEvery)
                {
                    _lastDraw = now;
                    var line = string.Join("  ", _targets.Values.Select(Describe));
                    error.Write("\r" + line.PadRight(_drawnWidth));
                    _drawnWidth = line.Length;
                }
            }
            else if (before?.Phase != value.Phase || (value.Total >= 10 && value.Done % (value.Total / 10) == 0))
            {
                error.WriteLine(Describe(value));
            }
        }
    }

    /// <summary>Ends the redrawn line so what follows starts on its own.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (interactive && _drawnWidth > 0)
            {
                error.WriteLine();
            }
        }
    }

    internal static string Describe(ReconcileProgress p)
    {
        if (p.Phase != "applying" || p.Total == 0)
        {
            return p.Phase == "done" ? $"{p.Target}: done ({p.Done} steps)" : $"{p.Target}: {p.Phase}";
        }

        var filled = (int)Math.Round(Width * (double)p.Done / p.Total);
        return $"{p.Target}: [{new string('#', filled)}{new string('.', Width - filled)}] {p.Done}/{p.Total}";
    }
}
