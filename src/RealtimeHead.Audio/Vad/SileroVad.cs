using RealtimeHead.OnnxRuntime;

namespace RealtimeHead.Audio.Vad;

/// <summary>
/// Speech probability per 32 ms window of one 16 kHz stream with Silero VAD v5. Keeps the network's recurrent state
/// and the 64-sample context that v5 expects before each window (as the reference OnnxWrapper does). All tensors are
/// made once over this instance's arrays, so a window costs one run and no allocation of tensors. Not thread-safe:
/// one instance per stream; the <see cref="SileroVadModel"/> is shared.
/// </summary>
public sealed class SileroVad : IVoiceActivityDetector
{
    private readonly SileroVadModel _model;
    private readonly float[] _input;
    private readonly float[] _state = new float[SileroVadModel.StateSize];
    private readonly float[] _stateOut = new float[SileroVadModel.StateSize];
    private readonly float[] _probability = new float[1];
    private readonly OrtValue _inputValue;
    private readonly OrtValue _stateValue;
    private readonly OrtValue _sampleRateValue;
    private readonly OrtValue _probabilityValue;
    private readonly OrtValue _stateOutValue;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    /// <param name="model">The network; not owned (dispose it after every detector using it).</param>
    public SileroVad(SileroVadModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _input = new float[model.ContextSamples + model.WindowSamples];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, _input.Length]);
        _stateValue = OrtValue.CreateTensorValueFromMemory(_state, [2, 1, 128]);
        _sampleRateValue = OrtValue.CreateTensorValueFromMemory(new long[] { model.Options.SampleRate }, []);
        _probabilityValue = OrtValue.CreateTensorValueFromMemory(_probability, [1, 1]);
        _stateOutValue = OrtValue.CreateTensorValueFromMemory(_stateOut, [2, 1, 128]);
        _inputs = [_inputValue, _stateValue, _sampleRateValue];
        _outputs = [_probabilityValue, _stateOutValue];
    }

    public int WindowSamples => _model.WindowSamples;

    public float Process(ReadOnlySpan<float> window)
    {
        if (window.Length != WindowSamples)
            throw new ArgumentException($"Silero VAD takes windows of exactly {WindowSamples} samples (got {window.Length}).", nameof(window));
        var context = _model.ContextSamples;
        window.CopyTo(_input.AsSpan(context));
        _model.Session.Run(null, SileroVadModel.InputNames, _inputs, SileroVadModel.OutputNames, _outputs);
        _stateOut.CopyTo(_state, 0);
        // The next window's context is the end of this one.
        _input.AsSpan(_input.Length - context).CopyTo(_input);
        return Math.Clamp(_probability[0], 0f, 1f);
    }

    public void Reset()
    {
        Array.Clear(_state);
        Array.Clear(_input);
    }

    public void Dispose()
    {
        _inputValue.Dispose();
        _stateValue.Dispose();
        _sampleRateValue.Dispose();
        _probabilityValue.Dispose();
        _stateOutValue.Dispose();
    }
}
