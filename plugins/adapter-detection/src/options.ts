import { readPluginPackage, type PluginPackage } from '@modelport/core';
import type { Normalization } from '@modelport/images';

const pkg = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
export const OPTIONS_SCHEMA = pkg.optionsSchema;

/** SSD grid anchors: per feature map (rows, cols) one scale, and every aspect ratio at each cell. */
export interface GridAnchors {
  readonly featureMapSizes: readonly (readonly [number, number])[];
  readonly scales: readonly number[];
  readonly aspectRatios?: readonly number[];
  /** Per feature map, how many times each cell repeats its anchors (MediaPipe's fixed-size anchors: [2, 6] for BlazeFace). */
  readonly anchorsPerCell?: readonly number[];
}

export interface BoxDecoding {
  readonly decode?: 'direct' | 'anchors';
  readonly format?: 'yxyx' | 'xyxy' | 'cxcywh';
  readonly normalized?: boolean;
  /** faster-rcnn: (ty, tx, th, tw), exp sizes; mediapipe: (x, y, w, h) centre offsets, linear sizes. */
  readonly coder?: 'faster-rcnn' | 'mediapipe';
  /** faster-rcnn: [y, x, h, w] (default [10, 10, 5, 5]); mediapipe: [x, y, w, h], e.g. the input size. */
  readonly scaleFactors?: readonly number[];
  /** Keypoints in the box columns after the first 4: (x, y) pairs for mediapipe, (y, x) for faster-rcnn. */
  readonly keypoints?: number;
  /** A JSON file, the anchors [[cy, cx, h, w], …], or a grid to generate. */
  readonly anchors?: string | readonly (readonly number[])[] | GridAnchors;
}

export interface DetectionOptions extends Partial<Normalization> {
  readonly signature?: string;
  readonly input?: string;
  readonly size?: readonly [number, number];
  readonly channels?: 1 | 3;
  /** boxes and scores may be lists of outputs, joined along the anchor axis in that order. */
  readonly outputs?: { readonly boxes?: string | readonly string[]; readonly scores?: string | readonly string[]; readonly classes?: string };
  readonly boxes?: BoxDecoding;
  readonly scoreActivation?: 'none' | 'sigmoid' | 'softmax';
  readonly backgroundClass?: boolean;
  readonly classIdOffset?: number;
  readonly scoreThreshold?: number;
  readonly iouThreshold?: number;
  readonly maxDetections?: number;
  readonly classAgnostic?: boolean;
  readonly labels?: string | readonly string[];
  readonly maxImagePixels?: number;
}
