using RealtimeHead.Testing.Native;
using System.Runtime.CompilerServices;
using RealtimeHead.Corpus.Native;

namespace RealtimeHead.Corpus.Tests.Native;

public sealed class NativeLayoutTests
{
    private static readonly (string C, long Managed)[] Expectations =
    [
        ("sizeof(espeak_EVENT)", Unsafe.SizeOf<EspeakEvent>()),
        ("offsetof(espeak_EVENT, type)", Offset(nameof(EspeakEvent.Type))),
        ("offsetof(espeak_EVENT, unique_identifier)", Offset(nameof(EspeakEvent.UniqueIdentifier))),
        ("offsetof(espeak_EVENT, text_position)", Offset(nameof(EspeakEvent.TextPosition))),
        ("offsetof(espeak_EVENT, length)", Offset(nameof(EspeakEvent.Length))),
        ("offsetof(espeak_EVENT, audio_position)", Offset(nameof(EspeakEvent.AudioPosition))),
        ("offsetof(espeak_EVENT, sample)", Offset(nameof(EspeakEvent.Sample))),
        ("offsetof(espeak_EVENT, user_data)", Offset(nameof(EspeakEvent.UserData))),
        ("offsetof(espeak_EVENT, id)", Offset(nameof(EspeakEvent.Id))),
        ("sizeof(((espeak_EVENT*)0)->id.string)", 8),
        ("AUDIO_OUTPUT_SYNCHRONOUS", EspeakLibrary.AudioOutputSynchronous),
        ("espeakINITIALIZE_PHONEME_EVENTS", EspeakLibrary.InitializePhonemeEvents),
        ("espeakINITIALIZE_PHONEME_IPA", EspeakLibrary.InitializePhonemeIpa),
        ("espeakINITIALIZE_DONT_EXIT", EspeakLibrary.InitializeDontExit),
        ("espeakEVENT_LIST_TERMINATED", EspeakLibrary.EventListTerminated),
        ("espeakEVENT_PHONEME", EspeakLibrary.EventPhoneme),
        ("POS_CHARACTER", EspeakLibrary.PositionCharacter),
        ("espeakCHARS_UTF8", EspeakLibrary.CharsUtf8),
        ("espeakRATE", EspeakLibrary.ParameterRate),
        ("espeakPITCH", EspeakLibrary.ParameterPitch),
        ("espeakRANGE", EspeakLibrary.ParameterRange),
    ];

    [CcFact]
    public void ManagedLayout_MatchesSpeakLibHeader()
    {
        var values = NativeHeaderProbe.Evaluate(["espeak-ng/speak_lib.h"], Expectations.Select(e => e.C).ToList());

        var mismatches = Expectations
            .Where(e => values[e.C] != e.Managed)
            .Select(e => $"{e.C}: native {values[e.C]}, managed {e.Managed}")
            .ToList();
        Assert.Empty(mismatches);
        Assert.Equal(Expectations.Length, values.Count);
    }

    private static unsafe long Offset(string field)
    {
        EspeakEvent e = default;
        var basePtr = (byte*)&e;
        return field switch
        {
            nameof(EspeakEvent.Type) => (byte*)&e.Type - basePtr,
            nameof(EspeakEvent.UniqueIdentifier) => (byte*)&e.UniqueIdentifier - basePtr,
            nameof(EspeakEvent.TextPosition) => (byte*)&e.TextPosition - basePtr,
            nameof(EspeakEvent.Length) => (byte*)&e.Length - basePtr,
            nameof(EspeakEvent.AudioPosition) => (byte*)&e.AudioPosition - basePtr,
            nameof(EspeakEvent.Sample) => (byte*)&e.Sample - basePtr,
            nameof(EspeakEvent.UserData) => (byte*)&e.UserData - basePtr,
            nameof(EspeakEvent.Id) => e.Id - basePtr,
            _ => throw new ArgumentException(field),
        };
    }
}
