using RealtimeHead.Model.Discriminators;
using RealtimeHead.Torch;
using static RealtimeHead.Model.Tests.Discriminators.DiscriminatorTestHelpers;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Tests.Discriminators;

// Seeded training runs: alone, so tests running beside them cannot draw from the global generator in between.
[Collection(Training.TorchRngCollection.Name)]
public sealed class LipSyncDiscriminatorTests
{
    private const int CropHeight = 16;
    private const int CropWidth = 24;

    private static LipSyncDiscriminator Create() => new(SmallConfig, CropHeight, CropWidth);

    [Fact]
    public void Forward_SmallBatch_ReturnsUnitEmbeddingsOfConfiguredSize()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var d = Create();

        var (lips, audio) = d.forward(randn([2, 3, 3, CropHeight, CropWidth]), randn([2, 10, 8]));

        Assert.Equal(new long[] { 2, 16 }, lips.shape);
        Assert.Equal(new long[] { 2, 16 }, audio.shape);
        foreach (var norm in lips.norm(1).data<float>().Concat(audio.norm(1).data<float>())) Assert.Equal(1f, norm, 4);
    }

    [Fact]
    public void EmbedLips_OtherCropSizeAndWindow_StillEmbeds()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var d = Create();

        Assert.Equal(new long[] { 1, 16 }, d.EmbedLips(randn([1, 3, 3, 32, 32])).shape);
        Assert.Equal(new long[] { 1, 16 }, d.EmbedAudio(randn([1, 16, 8])).shape);
    }

    [Fact]
    public void EmbedLips_WrongFrameCountOrAudioDim_Throws()
    {
        using var scope = NewDisposeScope();
        using var d = Create();

        Assert.Throws<ArgumentException>(() => d.EmbedLips(randn([1, 4, 3, CropHeight, CropWidth])));
        Assert.Throws<ArgumentException>(() => d.EmbedAudio(randn([1, 10, 9])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LipSyncDiscriminator(SmallConfig, 8, 8));
    }

    [Fact]
    public void Backward_BothBranches_ReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var d = Create();
        var (lips, audio) = d.forward(randn([2, 3, 3, CropHeight, CropWidth]), randn([2, 10, 8]));

        (Probe(lips) + Probe(audio)).backward();

        AssertEveryParameterHasGradient(d);
    }

    [Fact]
    public void Freeze_GeneratorSyncLoss_GradientReachesFramesButNoParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var d = Create().Freeze();
        var frames = randn([2, 3, 3, CropHeight, CropWidth]).requires_grad_();
        var audio = d.EmbedAudio(randn([2, 10, 8]));

        LipSyncDiscriminator.GeneratorSyncLoss(d.EmbedLips(frames), audio).backward();

        Assert.All(d.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(d.parameters(), p => Assert.Null(p.grad));
        Assert.True(frames.grad!.abs().sum().item<double>() > 0);
        Assert.False(audio.requires_grad);
    }

    [Fact]
    public void Similarity_IdenticalOrthogonalOppositeAndZero_ReturnsCosine()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 3f, 4f, 0f, 0f, 1f, 0f, 2f, 0f }, [4, 2]);
        var b = tensor(new[] { 3f, 4f, 0f, 5f, -2f, 0f, 0f, 0f }, [4, 2]);

        var cos = LipSyncDiscriminator.Similarity(a, b).data<float>();

        Assert.Equal(1f, cos[0], 6);  // identical (unnormalised) vectors
        Assert.Equal(0f, cos[1], 6);  // orthogonal
        Assert.Equal(-1f, cos[2], 6); // opposite
        Assert.Equal(0f, cos[3]);     // a zero vector: 0, not 0/0
    }

    [Fact]
    public void TripletLoss_PositivesBeatNegativesByMoreThanMargin_IsZero()
    {
        using var scope = NewDisposeScope();
        var lips = tensor(new[] { 1f, 0f }, [1, 2]);
        var lipsNegative = tensor(new[] { 0f, 1f }, [1, 2]);
        var audioPositive = tensor(new[] { 1f, 0f }, [1, 2]);
        var audioNegative = tensor(new[] { 0f, 1f }, [1, 2]);

        var loss = LipSyncDiscriminator.TripletLoss(lips, audioPositive, audioNegative, lips, lipsNegative);

        Assert.Equal(0f, loss.item<float>()); // cos(pos) = 1, cos(neg) = 0: a gap of 1 > η = 0.5 in both terms
    }

    [Fact]
    public void TripletLoss_GapBelowMargin_IsMarginMinusGapPerTerm()
    {
        using var scope = NewDisposeScope();
        var lips = tensor(new[] { 1f, 0f }, [1, 2]);
        var lipsNegative = tensor(new[] { 0f, 1f }, [1, 2]);
        var audioPositive = tensor(new[] { 0.8f, 0.6f }, [1, 2]);
        var audioNegative = tensor(new[] { 0.6f, 0.8f }, [1, 2]);

        var loss = LipSyncDiscriminator.TripletLoss(lips, audioPositive, audioNegative, lips, lipsNegative).item<float>();

        // Term 1: 0.5 − cos(l, a⁺) + cos(l, a⁻) = 0.5 − 0.8 + 0.6; term 2 (anchor a⁺): 0.5 − cos(l, a⁺) + cos(l⁻, a⁺) = 0.5 − 0.8 + 0.6.
        Assert.Equal(0.6f, loss, 5);
    }

    [Fact]
    public void TripletLoss_NegativesBeatPositives_IsPositiveAndPushesPositiveUp()
    {
        using var scope = NewDisposeScope();
        var lips = tensor(new[] { 1f, 0f }, [1, 2]).requires_grad_();
        var lipsNegative = tensor(new[] { 0f, 1f }, [1, 2]);
        var audioPositive = tensor(new[] { 0f, 1f }, [1, 2]);
        var audioNegative = tensor(new[] { 1f, 0f }, [1, 2]);

        var loss = LipSyncDiscriminator.TripletLoss(lips, audioPositive, audioNegative, lips, lipsNegative);
        loss.backward();

        Assert.Equal(3f, loss.item<float>(), 5); // (0.5 − 0 + 1) in both terms
        // Descending the gradient turns e_l towards its positive audio [0, 1].
        Assert.True(lips.grad!.data<float>()[1] < 0);
    }

    [Fact]
    public void TripletLoss_ExplicitAudioAnchor_UsesItForSecondTerm()
    {
        using var scope = NewDisposeScope();
        var lips = tensor(new[] { 1f, 0f }, [1, 2]);
        var audioPositive = tensor(new[] { 1f, 0f }, [1, 2]);
        var audioNegative = tensor(new[] { 0f, 1f }, [1, 2]);
        var anchor = tensor(new[] { 0f, 1f }, [1, 2]);

        // First term 0; second: 0.5 − cos(l⁺ = [1, 0], [0, 1]) + cos(l⁻ = [0, 1], [0, 1]) = 1.5.
        var loss = LipSyncDiscriminator.TripletLoss(lips, audioPositive, audioNegative, lips, audioNegative, audioAnchor: anchor);

        Assert.Equal(1.5f, loss.item<float>(), 5);
    }

    [Fact]
    public void GeneratorSyncLoss_EmbeddingMovesTowardAudio_Decreases()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var audio = F.normalize(randn([3, 16]), dim: 1);
        var start = F.normalize(randn([3, 16]), dim: 1);

        var losses = new[] { 0.0, 0.25, 0.5, 0.75, 1.0 }
            .Select(t => LipSyncDiscriminator.GeneratorSyncLoss(F.normalize(start * (1 - t) + audio * t, dim: 1), audio).item<float>())
            .ToArray();

        for (var i = 1; i < losses.Length; i++) Assert.True(losses[i] < losses[i - 1], $"loss rose from {losses[i - 1]} to {losses[i]}");
        Assert.Equal(0f, losses[^1], 5);
    }

    /// <summary>
    /// Synthetic sync task: every sample is a random 1-D signal s over frames; lip frame t is a fixed texture whose
    /// brightness is s_t, and the audio window carries s at 2 feature frames per video frame through a fixed random
    /// projection. Negatives are the same sample's audio (or lips) shifted in time, so only alignment tells them apart.
    /// </summary>
    [Fact]
    public void TripletTraining_SyntheticShiftedNegatives_SeparatesPositivesFromNegatives()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var d = Create();
        var texture = rand([1, 1, 3, CropHeight, CropWidth]) * 0.5 + 0.5;
        var projection = randn([1, 1, 8]);
        using var optimizer = optim.Adam(d.parameters(), lr: 3e-3);
        const int frames = 3, batch = 16;

        (Tensor lips, Tensor audio) Make(Tensor signal, long offset)
        {
            var window = signal.narrow(1, offset, frames); // [B, T]
            var lips = texture * window.reshape(batch, frames, 1, 1, 1) + randn([batch, frames, 3, CropHeight, CropWidth]) * 0.05;
            var audio = window.unsqueeze(2).repeat(1, 1, 2).reshape(batch, 2 * frames, 1) * projection + randn([batch, 2 * frames, 8]) * 0.05;
            return (lips, audio);
        }

        (Tensor positiveLips, Tensor positiveAudio, Tensor negativeLips, Tensor negativeAudio) Batch()
        {
            var signal = rand([batch, frames + 2]) * 2 - 1;
            var (lips, audio) = Make(signal, 1);
            var (shiftedLips, shiftedAudio) = Make(signal, rand([1]).item<float>() < 0.5 ? 0 : 2);
            return (lips, audio, shiftedLips, shiftedAudio);
        }

        for (var step = 0; step < 40; step++)
        {
            using var stepScope = NewDisposeScope();
            var (lips, audio, negativeLips, negativeAudio) = Batch();
            var eL = d.EmbedLips(lips);
            var eA = d.EmbedAudio(audio);
            var loss = LipSyncDiscriminator.TripletLoss(eL, eA, d.EmbedAudio(negativeAudio), eL, d.EmbedLips(negativeLips));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        using (no_grad())
        {
            var (lips, audio, _, negativeAudio) = Batch();
            var eL = d.EmbedLips(lips);
            var positive = LipSyncDiscriminator.Similarity(eL, d.EmbedAudio(audio)).mean().item<float>();
            var negative = LipSyncDiscriminator.Similarity(eL, d.EmbedAudio(negativeAudio)).mean().item<float>();
            Assert.True(positive - negative > 0.5, $"mean positive cosine {positive} vs negative {negative}");
        }
    }
}
