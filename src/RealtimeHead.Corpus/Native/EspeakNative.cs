using System.Runtime.InteropServices;

namespace RealtimeHead.Corpus.Native;

/// <summary><c>espeak_EVENT</c> from /usr/include/espeak-ng/speak_lib.h: 40 bytes on x86-64 (checked by NativeLayoutTests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EspeakEvent
{
    public int Type;
    public uint UniqueIdentifier;
    public int TextPosition;
    public int Length;
    public int AudioPosition;   // milliseconds, truncated
    public int Sample;          // sample index from the start of the message (finer than AudioPosition)
    public nint UserData;
    public fixed byte Id[8];    // union { int number; const char* name; char string[8]; }
}

/// <summary>
/// One loaded instance of libespeak-ng (<c>libespeak-ng.so.1</c>), called through function pointers taken
/// from <see cref="NativeLibrary"/> rather than <c>[LibraryImport]</c>.
/// </summary>
/// <remarks>
/// Why not DllImport: libespeak-ng keeps synthesis state in static variables (the pitch-flutter phase and
/// wave phase in wavegen.c) that survive <c>espeak_Terminate</c>, so the same text synthesised twice in one
/// process gives samples that differ by a few frames. The corpus must be byte-identical for a seed, so each
/// utterance is synthesised by a freshly loaded library: dlopen, synthesise, terminate, dlclose. dlclose
/// unloads the object when this is its only user, and the next dlopen starts from the initial statics. A
/// DllImport would pin the library for the process lifetime and defeat this. Only this type loads it.
/// </remarks>
internal sealed unsafe class EspeakLibrary : SafeHandle
{
    public const string Soname = "libespeak-ng.so.1";

    public const int AudioOutputSynchronous = 2;       // AUDIO_OUTPUT_SYNCHRONOUS
    public const int InitializePhonemeEvents = 0x0001; // espeakINITIALIZE_PHONEME_EVENTS
    public const int InitializePhonemeIpa = 0x0002;    // espeakINITIALIZE_PHONEME_IPA
    public const int InitializeDontExit = 0x8000;      // espeakINITIALIZE_DONT_EXIT: report, never exit(), if data is missing
    public const int EventListTerminated = 0;          // espeakEVENT_LIST_TERMINATED
    public const int EventPhoneme = 7;                 // espeakEVENT_PHONEME
    public const int PositionCharacter = 1;            // POS_CHARACTER
    public const int CharsUtf8 = 1;                    // espeakCHARS_UTF8
    public const int ParameterRate = 1;                // espeakRATE
    public const int ParameterPitch = 3;               // espeakPITCH
    public const int ParameterRange = 4;               // espeakRANGE

    private readonly delegate* unmanaged<int, int, byte*, int, int> initialize;
    private readonly delegate* unmanaged<void> terminate;

    private EspeakLibrary(nint library)
        : base(0, ownsHandle: true)
    {
        SetHandle(library);
        initialize = (delegate* unmanaged<int, int, byte*, int, int>)Export("espeak_Initialize");
        terminate = (delegate* unmanaged<void>)Export("espeak_Terminate");
        SetSynthCallback = (delegate* unmanaged<nint, void>)Export("espeak_SetSynthCallback");
        SetVoiceByName = (delegate* unmanaged<byte*, int>)Export("espeak_SetVoiceByName");
        SetParameter = (delegate* unmanaged<int, int, int, int>)Export("espeak_SetParameter");
        Synth = (delegate* unmanaged<byte*, nuint, uint, int, uint, uint, uint*, nint, int>)Export("espeak_Synth");
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Sample rate the library produces (22050 Hz for the formant voices), from espeak_Initialize.</summary>
    public int SampleRate { get; private set; }

    /// <summary><c>void espeak_SetSynthCallback(t_espeak_callback*)</c>; callback <c>int (short*, int, espeak_EVENT*)</c>.</summary>
    public delegate* unmanaged<nint, void> SetSynthCallback { get; }

    /// <summary><c>espeak_ERROR espeak_SetVoiceByName(const char*)</c>.</summary>
    public delegate* unmanaged<byte*, int> SetVoiceByName { get; }

    /// <summary><c>espeak_ERROR espeak_SetParameter(espeak_PARAMETER, int value, int relative)</c>.</summary>
    public delegate* unmanaged<int, int, int, int> SetParameter { get; }

    /// <summary><c>espeak_ERROR espeak_Synth(text, size, position, position_type, end_position, flags, unique_id*, user_data)</c>.</summary>
    public delegate* unmanaged<byte*, nuint, uint, int, uint, uint, uint*, nint, int> Synth { get; }

    /// <summary>Loads the library and initialises it in synchronous mode with IPA phoneme events.</summary>
    /// <exception cref="DllNotFoundException">libespeak-ng.so.1 is not installed.</exception>
    /// <exception cref="InvalidOperationException">espeak-ng could not find its data.</exception>
    public static EspeakLibrary Load()
    {
        var library = new EspeakLibrary(NativeLibrary.Load(Soname));
        var rate = library.initialize(AudioOutputSynchronous, 0, null, InitializePhonemeEvents | InitializePhonemeIpa | InitializeDontExit);
        if (rate <= 0)
        {
            library.Dispose();
            throw new InvalidOperationException($"espeak_Initialize failed ({rate}): is espeak-ng-data installed?");
        }

        library.SampleRate = rate;
        return library;
    }

    protected override bool ReleaseHandle()
    {
        terminate();
        NativeLibrary.Free(handle);
        return true;
    }

    private nint Export(string name) => NativeLibrary.GetExport(handle, name);
}
