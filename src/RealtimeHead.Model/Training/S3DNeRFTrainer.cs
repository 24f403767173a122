using RealtimeHead.Model.Discriminators;
using RealtimeHead.Model.Losses;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Training;

/// <summary>
/// One optimisation step of S3D-NeRF over a batch of clips (Sec. 3.4-3.5):
/// <list type="number">
/// <item>generator: the B·T frames are rendered (jittered samples, inner-face rays only), and Eq. 9,
/// L = L_pix + λ_per L_per + λ_adv L_adv + λ_sync L_sync^gen + λ_deform L_deform, is taken on both the coarse render (its RGB,
/// in [-1, 1]) and the fine frame: L_adv from the StyleGAN discriminator (the coarse RGB upsampled to S for it),
/// L_sync^gen (Eq. 8) from the frozen lip-sync discriminator on the T lip crops of each clip against its audio;
/// one Adam step on every generator parameter;</item>
/// <item>discriminator: the StyleGAN discriminator's own non-saturating logistic step on the targets (real) and the
/// detached fine and upsampled coarse frames (fake), plus γ/2·k·R1 on the reals every k steps (StyleGAN2's lazy R1).</item>
/// </list>
/// Deterministic: the constructor seeds the initialisation with <see cref="S3DNeRFTrainerOptions.Seed"/> and step n reseeds
/// torch's generator with a value derived from (seed, n) before it draws anything, so two trainers with one seed produce the
/// same losses bit for bit, and a run resumed from a checkpoint (<see cref="Checkpoints.S3DNeRFCheckpoint"/>) continues
/// exactly. The lip-sync discriminator is frozen throughout (Sec. 3.4); it starts untrained unless
/// <see cref="LoadLipSyncWeights"/> gives it pretrained weights. Sets global torch state (the seed) on every step.
/// <para>
/// Device: the generator, both discriminators and the losses are created on the CPU (so the seeded initialisation is the
/// same everywhere) and moved to the trainer's <see cref="Device"/> before the optimizers are made; a batch may hold CPU
/// tensors and is moved there once per step. Training is fp32. The random stream of a step depends on the device, so
/// runs on different devices are each reproducible but differ from one another.
/// </para>
/// </summary>
public sealed class S3DNeRFTrainer : IDisposable
{
    private readonly S3DNeRF _model;
    private readonly StyleGanDiscriminator _discriminator;
    private readonly LipSyncDiscriminator _lipSync;
    private readonly S3DNeRFLoss _loss;
    private readonly Adam _generatorOptimizer;
    private readonly Adam _discriminatorOptimizer;

    /// <param name="config">Model sizes and loss weights.</param>
    /// <param name="options">Optimisation settings.</param>
    /// <param name="perceptual">L_per (owned by the trainer from now on; moved to the device).</param>
    /// <param name="device">Where to train (default CPU); checked to be available (<see cref="Placement.ModelPlacement.EnsureAvailable()"/>).</param>
    public S3DNeRFTrainer(S3DNeRFConfig config, S3DNeRFTrainerOptions options, PerceptualLoss perceptual, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(perceptual);
        Config = config.EnsureValid();
        Options = options.EnsureValid();
        Device = new Placement.ModelPlacement(device ?? CPU).EnsureAvailable().Device;
        manual_seed(options.Seed);
        _model = new S3DNeRF(config);
        _discriminator = new StyleGanDiscriminator(config);
        LipCropHeight = Math.Max(16, config.ImageSize / 4);
        LipCropWidth = Math.Max(16, config.ImageSize / 2);
        _lipSync = new LipSyncDiscriminator(config, LipCropHeight, LipCropWidth).Freeze();
        _loss = new S3DNeRFLoss(config, perceptual);
        if (Device.type != DeviceType.CPU)
        {
            // Before the optimizers: Adam makes its moments beside the parameters.
            _model.to(Device);
            _discriminator.to(Device);
            _lipSync.to(Device);
            _loss.to(Device);
        }
        _generatorOptimizer = new Adam(_model.parameters(), options.GeneratorLearningRate, options.Beta1, options.Beta2);
        _discriminatorOptimizer = new Adam(_discriminator.parameters(), options.DiscriminatorLearningRate, options.Beta1, options.Beta2);
    }

    public S3DNeRFConfig Config { get; }

    public S3DNeRFTrainerOptions Options { get; }

    /// <summary>The device every model, loss and step of this trainer runs on.</summary>
    public Device Device { get; }

    /// <summary>The generator being trained.</summary>
    public S3DNeRF Model => _model;

    public StyleGanDiscriminator Discriminator => _discriminator;

    /// <summary>The frozen lip-sync discriminator (Sec. 3.4).</summary>
    public LipSyncDiscriminator LipSync => _lipSync;

    public Adam GeneratorOptimizer => _generatorOptimizer;

    public Adam DiscriminatorOptimizer => _discriminatorOptimizer;

    /// <summary>Steps completed.</summary>
    public long StepCount { get; private set; }

    public int LipCropHeight { get; }

    public int LipCropWidth { get; }

    /// <summary>Loads pretrained lip-sync discriminator weights (safetensors of its state dict) and keeps it frozen.</summary>
    public void LoadLipSyncWeights(string path)
    {
        _lipSync.load(path);
        _lipSync.Freeze();
    }

    /// <summary>Restores the step counter (checkpoint resume).</summary>
    internal void RestoreStepCount(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        StepCount = step;
    }

    /// <summary>The seed of step <paramref name="step"/>: distinct per step, a pure function of (seed, step).</summary>
    internal static long StepSeed(long seed, long step) => unchecked(seed * 1_000_003L + step * 7_919L + 1);

    /// <summary>One generator step and one discriminator step over <paramref name="batch"/>.</summary>
    public TrainingStepResult Step(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (b, t) = Validate(batch);
        var step = StepCount + 1;
        manual_seed(StepSeed(Options.Seed, step));
        _model.train();
        var n = b * t;
        var (s, r) = ((long)Config.ImageSize, (long)Config.RenderSize);
        var adversarial = Options.UseAdversarialLoss && Config.AdversarialWeight > 0;

        using var scope = NewDisposeScope();
        batch = OnDevice(batch);
        // B clips × T frames → N = B·T frames; the source of a clip is shared by its frames.
        var source = batch.Source.unsqueeze(1).expand(b, t, 3, s, s).reshape(n, 3, s, s);
        var sourcePose = batch.SourcePose.unsqueeze(1).expand(b, t, 4, 4).reshape(n, 4, 4);
        var audio = batch.Audio.reshape(n, Config.AudioWindow, Config.AudioFeatureDim);
        var targetPose = batch.TargetPoses.reshape(n, 4, 4);
        var targets = batch.Targets.reshape(n, 3, s, s);
        var mask = batch.InnerFaceMask?.reshape(n, 1, s, s).to(ScalarType.Float32) ?? ones([n, 1, s, s], device: Device);
        // Rays to render: pixels of the R×R render mostly inside the inner face (Sec. 3.3).
        var rayMask = batch.InnerFaceMask is null
            ? null
            : F.interpolate(mask, [r, r], mode: InterpolationMode.Area).squeeze(1).gt(0.5);

        // ---- generator (Eq. 9)
        using var output = _model.forward(source, sourcePose, audio, targetPose, rayMask);
        var coarse = output.CoarseRgb();                                  // [N, 3, R, R] in [-1, 1]
        var fine = output.Fine!;                                          // [N, 3, S, S]
        var coarseUp = F.interpolate(coarse, [s, s], mode: InterpolationMode.Bilinear, align_corners: false);

        Tensor? fineLogits = null, coarseLogits = null;
        if (adversarial)
        {
            SetRequiresGrad(_discriminator, false);
            fineLogits = _discriminator.forward(fine);
            coarseLogits = _discriminator.forward(coarseUp);
            SetRequiresGrad(_discriminator, true);
        }

        Tensor? fineLips = null, coarseLips = null, audioEmbedding = null;
        if (Config.UseLipSyncLoss && Config.SyncWeight > 0)
        {
            var boxes = batch.LipBoxes ?? tensor(TrainingBatch.DefaultLipBox.ToArray(), device: Device).unsqueeze(0).expand(b, 4);
            fineLips = _lipSync.EmbedLips(LipCrop.Crop(fine.reshape(b, t, 3, s, s), boxes, LipCropHeight, LipCropWidth));
            coarseLips = _lipSync.EmbedLips(LipCrop.Crop(coarse.reshape(b, t, 3, r, r), boxes, LipCropHeight, LipCropWidth));
            using (no_grad())
            {
                var syncAudio = batch.SyncAudio ?? batch.Audio.select(1, t / 2);
                audioEmbedding = _lipSync.EmbedAudio(syncAudio);
            }
        }

        var terms = _loss.Compute(new S3DNeRFLossInputs(fine, coarse, targets, mask, output.Deformation,
            fineLogits, coarseLogits, fineLips, coarseLips, audioEmbedding));
        _generatorOptimizer.zero_grad();
        terms.Total.backward();
        _generatorOptimizer.step();
        var generatorValues = terms.ToValues();

        // ---- StyleGAN discriminator: non-saturating logistic loss, lazy R1 every k steps
        double discriminatorValue = 0;
        double? r1Value = null;
        if (adversarial)
        {
            var fakes = cat([fine.detach(), coarseUp.detach()], 0);
            var loss = StyleGanDiscriminator.DiscriminatorLoss(_discriminator.forward(targets.detach()), _discriminator.forward(fakes));
            if (Options.R1Gamma > 0 && step % Options.R1Interval == 0)
            {
                var r1 = _discriminator.R1Penalty(targets);
                r1Value = r1.item<double>();
                loss = loss + r1 * (Options.R1Gamma / 2 * Options.R1Interval);
            }
            _discriminatorOptimizer.zero_grad();
            loss.backward();
            _discriminatorOptimizer.step();
            discriminatorValue = loss.item<double>();
        }

        StepCount = step;
        return new TrainingStepResult(step, generatorValues, discriminatorValue, r1Value);
    }

    /// <summary>The batch with every tensor on <see cref="Device"/> (the same batch when it is there already; copies join the current scope).</summary>
    private TrainingBatch OnDevice(TrainingBatch batch)
    {
        if (batch.Source.device == Device) return batch;
        return batch with
        {
            Source = batch.Source.to(Device),
            SourcePose = batch.SourcePose.to(Device),
            Audio = batch.Audio.to(Device),
            TargetPoses = batch.TargetPoses.to(Device),
            Targets = batch.Targets.to(Device),
            InnerFaceMask = batch.InnerFaceMask?.to(Device),
            LipBoxes = batch.LipBoxes?.to(Device),
            SyncAudio = batch.SyncAudio?.to(Device),
        };
    }

    private (long Batch, long Frames) Validate(TrainingBatch batch)
    {
        S3DNeRFInputs.ValidateImage(Config, batch.Source, nameof(batch.Source));
        var b = batch.Source.size(0);
        S3DNeRFInputs.ValidatePose(batch.SourcePose, b, nameof(batch.SourcePose));
        var audio = batch.Audio.shape;
        if (audio.Length != 4 || audio[0] != b || audio[2] != Config.AudioWindow || audio[3] != Config.AudioFeatureDim)
        {
            throw new ArgumentException($"Audio must be [{b}, T, {Config.AudioWindow}, {Config.AudioFeatureDim}], got {S3DNeRFInputs.Describe(audio)}", nameof(batch));
        }
        var t = audio[1];
        if (Config.UseLipSyncLoss && t != Config.LipSyncFrames)
        {
            throw new ArgumentException($"clips have {t} frames but the lip-sync loss needs T = LipSyncFrames = {Config.LipSyncFrames}", nameof(batch));
        }
        using (NewDisposeScope())
        {
            if (!batch.Audio.isfinite().all().item<bool>()) throw new ArgumentException("Audio contains NaN or infinite values", nameof(batch));
        }
        var poses = batch.TargetPoses.shape;
        if (poses.Length != 4 || poses[0] != b || poses[1] != t || poses[2] != 4 || poses[3] != 4)
        {
            throw new ArgumentException($"TargetPoses must be 4x4 pose matrices [{b}, {t}, 4, 4], got {S3DNeRFInputs.Describe(poses)}", nameof(batch));
        }
        var targets = batch.Targets.shape;
        if (!targets.SequenceEqual(new[] { b, t, 3L, Config.ImageSize, Config.ImageSize }))
        {
            throw new ArgumentException($"Targets must be [{b}, {t}, 3, {Config.ImageSize}, {Config.ImageSize}], got {S3DNeRFInputs.Describe(targets)}", nameof(batch));
        }
        if (batch.InnerFaceMask is { } mask && !mask.shape.SequenceEqual(new[] { b, t, 1L, Config.ImageSize, Config.ImageSize }))
        {
            throw new ArgumentException($"InnerFaceMask must be [{b}, {t}, 1, {Config.ImageSize}, {Config.ImageSize}], got {S3DNeRFInputs.Describe(mask.shape)}", nameof(batch));
        }
        return (b, t);
    }

    private static void SetRequiresGrad(nn.Module module, bool on)
    {
        foreach (var p in module.parameters()) p.requires_grad = on;
    }

    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
        _model.Dispose();
        _discriminator.Dispose();
        _lipSync.Dispose();
        _loss.Dispose();
    }
}
