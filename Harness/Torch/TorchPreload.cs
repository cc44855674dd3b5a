using TorchSharp;

namespace Harness.Torch;

/// <summary>libtorch loaded ahead of its first use, while the caller does work that needs no native code.</summary>
public static class TorchPreload
{
    /// <summary>
    /// Starts loading libtorch on a pool thread: its load and initialisers take ~0.3-0.4 s of one core, which a
    /// verification otherwise paid on the references' way, after the scenario's draws. Nothing is reported here: a
    /// libtorch that cannot load fails at its first real use, with that use's message.
    /// </summary>
    public static void Start() => _ = Task.Run(() => torch.TryInitializeDeviceType(DeviceType.CPU));
}
