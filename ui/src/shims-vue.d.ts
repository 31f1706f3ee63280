// Lets plain `tsc` accept .vue imports; vue-tsc reads the components themselves and checks them fully.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
