using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// P/Invoke surface of libopus 1.3.1 (<c>libopus.so.0</c>), declared from /usr/include/opus/opus.h and
/// opus_defines.h. Constants are checked against the headers by NativeLayoutTests.
/// </summary>
/// <remarks>
/// <c>opus_encoder_ctl</c>/<c>opus_decoder_ctl</c> are variadic in C and .NET cannot call C varargs on Unix.
/// Each request form used here is bound as a fixed-arity entry point instead. That is correct on x86-64 SysV:
/// variadic integer and pointer arguments travel in the same registers (rdi, rsi, rdx, ...) as fixed ones, and
/// the callee's <c>va_arg</c> reads them from the register save area its prologue fills. The only extra rule
/// for varargs callers is that <c>%al</c> bounds the number of vector registers used; the callee only tests it
/// to decide whether to spill xmm0-7, so a non-zero garbage value costs a few stores and never changes which
/// integer argument is read. The same holds for AArch64 Linux (AAPCS64 passes named and variadic integers
/// alike), but not for Apple arm64, where variadic arguments go on the stack.
/// </remarks>
internal static partial class OpusNative
{
    public const int OpusOk = 0;
    public const int OpusBadArg = -1;
    public const int OpusBufferTooSmall = -2;
    public const int OpusInternalError = -3;
    public const int OpusInvalidPacket = -4;
    public const int OpusUnimplemented = -5;
    public const int OpusInvalidState = -6;
    public const int OpusAllocFail = -7;

    public const int ApplicationVoip = 2048;
    public const int SignalVoice = 3001;

    public const int SetComplexityRequest = 4010;
    public const int SetBitrateRequest = 4002;
    public const int GetBitrateRequest = 4003;
    public const int SetInbandFecRequest = 4012;
    public const int SetPacketLossPercRequest = 4014;
    public const int SetDtxRequest = 4016;
    public const int SetSignalRequest = 4024;
    public const int GetLookaheadRequest = 4027;
    public const int ResetStateRequest = 4028;
    public const int GetLastPacketDurationRequest = 4039;

    static OpusNative() => CodecsNativeLibraries.EnsureRegistered();

    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static partial OpusEncoderHandle opus_encoder_create(int fs, int channels, int application, out int error);

    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static partial void opus_encoder_destroy(nint st);

    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static unsafe partial int opus_encode(OpusEncoderHandle st, short* pcm, int frameSize, byte* data, int maxDataBytes);

    /// <summary><c>opus_encoder_ctl(st, request, opus_int32 value)</c>: the SET_* forms.</summary>
    [LibraryImport(CodecsNativeLibraries.Opus, EntryPoint = "opus_encoder_ctl")]
    public static partial int opus_encoder_ctl_set(OpusEncoderHandle st, int request, int value);

    /// <summary><c>opus_encoder_ctl(st, request, opus_int32 *value)</c>: the GET_* forms.</summary>
    [LibraryImport(CodecsNativeLibraries.Opus, EntryPoint = "opus_encoder_ctl")]
    public static partial int opus_encoder_ctl_get(OpusEncoderHandle st, int request, out int value);

    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static partial OpusDecoderHandle opus_decoder_create(int fs, int channels, out int error);

    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static partial void opus_decoder_destroy(nint st);

    /// <summary>
    /// Decodes one packet; <paramref name="data"/> null means a lost packet (PLC). Returns samples per
    /// channel or a negative error code.
    /// </summary>
    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static unsafe partial int opus_decode(OpusDecoderHandle st, byte* data, int len, short* pcm, int frameSize, int decodeFec);

    /// <summary><c>opus_decoder_ctl(st, request, opus_int32 *value)</c>: the GET_* forms.</summary>
    [LibraryImport(CodecsNativeLibraries.Opus, EntryPoint = "opus_decoder_ctl")]
    public static partial int opus_decoder_ctl_get(OpusDecoderHandle st, int request, out int value);

    [LibraryImport(CodecsNativeLibraries.Opus)]
    public static unsafe partial byte* opus_strerror(int error);

    /// <summary>Human-readable text for an Opus error code.</summary>
    public static unsafe string ErrorText(int error) =>
        Marshal.PtrToStringUTF8((nint)opus_strerror(error)) ?? $"opus error {error}";
}

/// <summary>Owns an <c>OpusEncoder*</c>; released with <c>opus_encoder_destroy</c>.</summary>
internal sealed class OpusEncoderHandle : SafeHandle
{
    public OpusEncoderHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_encoder_destroy(handle);
        return true;
    }
}

/// <summary>Owns an <c>OpusDecoder*</c>; released with <c>opus_decoder_destroy</c>.</summary>
internal sealed class OpusDecoderHandle : SafeHandle
{
    public OpusDecoderHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_decoder_destroy(handle);
        return true;
    }
}
