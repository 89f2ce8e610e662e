import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";

/** Kubernetes object metadata (name, namespace, labels, annotations). */
export type ObjectMeta = NonNullable<IConfigMap["metadata"]>;
