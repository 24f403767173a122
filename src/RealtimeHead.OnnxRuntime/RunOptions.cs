using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>Per-call options of <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>.</summary>
public sealed unsafe class RunOptions : IDisposable
{
    private bool _terminate;
    private string _logId = string.Empty;
    private OrtLoggingLevel _logSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;

    public RunOptions()
    {
        _ = OrtEnv.Instance();
        IntPtr options;
        OrtNative.ThrowIfError(OrtNative.Api.CreateRunOptions(&options));
        Handle = new OrtRunOptionsHandle(options);
    }

    internal OrtRunOptionsHandle Handle { get; }

    /// <summary>Tag that ONNX Runtime puts on this run's log lines.</summary>
    public string LogId
    {
        get => _logId;
        set
        {
            fixed (byte* tag = Utf8.ToNullTerminated(value))
                OrtNative.ThrowIfError(OrtNative.Api.RunOptionsSetRunTag(Handle.DangerousGetHandle(), tag));
            _logId = value;
        }
    }

    /// <summary>Least severe message ONNX Runtime logs for this run.</summary>
    public OrtLoggingLevel LogSeverityLevel
    {
        get => _logSeverityLevel;
        set
        {
            OrtNative.ThrowIfError(OrtNative.Api.RunOptionsSetRunLogSeverityLevel(Handle.DangerousGetHandle(), (int)value));
            _logSeverityLevel = value;
        }
    }

    /// <summary>Set to make every run using these options stop as soon as possible (barge-in); clear to reuse them.</summary>
    public bool Terminate
    {
        get => _terminate;
        set
        {
            var h = Handle.DangerousGetHandle();
            OrtNative.ThrowIfError(value ? OrtNative.Api.RunOptionsSetTerminate(h) : OrtNative.Api.RunOptionsUnsetTerminate(h));
            _terminate = value;
        }
    }

    public void Dispose() => Handle.Dispose();
}
