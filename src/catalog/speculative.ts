/**
 * Speculative decoding / MTP acceptance assumptions, each taken from a published measurement
 * (never fitted). τ (`meanAcceptanceLength`) is tokens emitted per verification step including
 * the bonus token, so 1 ≤ τ ≤ draftTokens + 1. Acceptance depends on the workload (dataset,
 * temperature, reasoning vs chat), so each entry's `ref.note` says what was measured.
 */
import type { SpeculativeAssumption } from './types.js';

export const SPECULATIVE_ASSUMPTIONS: SpeculativeAssumption[] = [
  {
    modelId: 'deepseek-v3',
    drafter: 'mtp',
    draftTokens: 1,
    meanAcceptanceLength: 1.875,
    ref: {
      source:
        'DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, §5.4.3 (Multi-Token Prediction evaluation)',
      date: '2024-12',
      provenance: 'third-party',
      note: 'Report: the acceptance rate of the second-token prediction "ranges between 85% and 90%" across generation topics, giving 1.8x TPS. τ = 1 + acceptance; midpoint of 1.85–1.90 used. Measured by DeepSeek on their serving stack for DeepSeek-V3 (R1 / V3.1 ship their own MTP weights; not measured there).',
    },
  },
  {
    modelId: 'gpt-oss-120b',
    drafter: 'eagle3 (Dogacel/specdrift-gpt-oss-120b-eagle3)',
    draftTokens: 3,
    meanAcceptanceLength: 2.41,
    ref: {
      source:
        'https://huggingface.co/Dogacel/specdrift-gpt-oss-120b-eagle3 model card, "gpt-oss-120b · EAGLE3 (1-3-1-4) on H100" table',
      date: '2026-05',
      provenance: 'third-party',
      note: 'SGLang, chain drafting (num-steps 3, topk 1, num-draft-tokens 4 = 3 drafted tokens), MT-Bench 80 prompts, temperature 0.7, batch size 1: acceptance length 2.41 (2.43 at batch 64). Community EAGLE-3 drafter (paper arXiv:2605.09992), not OpenAI/NVIDIA.',
    },
  },
  {
    modelId: 'llama-3.3-70b',
    drafter: 'eagle3 (RedHatAI/Llama-3.3-70B-Instruct-speculator.eagle3)',
    draftTokens: 7,
    meanAcceptanceLength: 3.26,
    ref: {
      source:
        'https://huggingface.co/nebius/EAGLE3-Llama-3.3-70B-Instruct model card, "Comparison with Public Checkpoints" (Samarin et al., arXiv:2602.23881)',
      date: '2026-02',
      provenance: 'third-party',
      note: 'Public EAGLE-3 drafter measured by Nebius at temperature 1 with K = 7 draft tokens, standard rejection sampling: MT-bench 2.88, HumanEval 3.62, GSM8K 3.29; mean 3.26 (the card\u2019s other public checkpoint, labelled yuhuili/EAGLE3-LLaMA3.1-Instruct-8B, measures 2.77 / 3.49 / 3.34). The EAGLE-3 paper (arXiv:2503.01840) reports higher τ for tree drafting at temperature 0; its table could not be read here and is not used. Llama 3.3 70B shares the Llama 3.1 70B architecture.',
    },
  },
];
