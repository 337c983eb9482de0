using ScimBridge.Simulators.Hosting;

namespace ScimBridge.Platforms.Tests.Contract;

/// <summary>A harness whose platform is one of our simulators on loopback: holds it, points the adapter at it, stops it.</summary>
public abstract class SimulatorHarness<TSimulator> : PlatformHarness
    where TSimulator : ISimulatedPlatform
{
    private RunningSimulator<TSimulator>? _running;

    public RunningSimulator<TSimulator> Running => _running ?? throw new InvalidOperationException("The harness is not started.");

    /// <summary>The simulated platform itself, for seeding and for checking its state.</summary>
    public TSimulator Sim => Running.Platform;

    public override SimulatorControl Control => Running.Control;

    public override Uri BaseUrl => Running.BaseUrl;

    /// <summary>Starts <paramref name="simulator"/> accepting <see cref="PlatformHarness.AdminKey"/>; a harness's StartAsync then seeds it.</summary>
    protected async Task StartSimulatorAsync(TSimulator simulator) => _running = await SimulatorHost.StartAsync(simulator, AdminKey);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
